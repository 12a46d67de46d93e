// What every fuzz target shares: a scratch file on tmpfs, a check that stops the fuzzer on a broken
// invariant (libFuzzer keeps the input), and the replay of saved inputs when built without the fuzzer.
import Foundation

/// A file the target rewrites with each input (for parsers that read paths).
public final class FuzzFile: @unchecked Sendable {
    public let path: String

    public init(name: String) {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        path = "\(folder)/gcimport-fuzz-\(getpid())-\(name)"
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(descriptor >= 0, "cannot write \(path)")
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let wrote = Foundation.write(descriptor, base + offset, bytes.count - offset)
            precondition(wrote > 0, "cannot write \(path)")
            offset += wrote
        }
        close(descriptor)
    }
}

public enum FuzzCheck {
    /// A broken invariant: abort, so libFuzzer saves the input as a crash.
    public static func that(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() {
            FileHandle.standardError.write(Data("invariant broken: \(message())\n".utf8))
            abort()
        }
    }
}

/// libFuzzer's entry point when the program has its own `main` (SwiftPM names an executable's entry point
/// itself, so the fuzzer's `main` cannot be used).
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// Each target's `main`: built by scripts/fuzz.sh (`-D FUZZING`, with libFuzzer), it fuzzes; built plainly,
/// it runs each file or folder of inputs it is given: how a crash found by the fuzzer is replayed, and how
/// the saved corpus is checked in the normal build.
public enum FuzzMain {
    public static func run(_ target: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> Never {
        #if FUZZING
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runDriver(&argc, &argv, target))
        #else
            replay(target)
            exit(0)
        #endif
    }

    static func replay(_ target: (UnsafePointer<UInt8>, Int) -> CInt) {
        var count = 0
        for argument in CommandLine.arguments.dropFirst() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else { continue }
            let files =
                isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted().map {
                    "\(argument)/\($0)"
                } : [argument]
            for path in files {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                let bytes = [UInt8](data) + [0]
                // One byte more than the input, so an empty input still has an address.
                _ = bytes.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { target($0, data.count) } }
                count += 1
            }
        }
        print("replayed \(count) input(s)")
    }
}
