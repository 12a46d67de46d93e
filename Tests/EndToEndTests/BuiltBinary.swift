import Foundation
import TestSupport
import Testing

@testable import GetCourseSandbox

/// Runs the `gcimport` binary that `swift build` put beside the test bundle, as a user would.
enum BuiltBinary {
    /// The build products folder: the test runner lives there (`.build/debug/gcimportPackageTests.xctest`).
    static let productsDirectory: URL = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        // On some layouts the runner sits inside the .xctest bundle folder.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("gcimport").path),
            dir.pathComponents.count > 1
        {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    static var gcimport: URL { productsDirectory.appendingPathComponent("gcimport") }

    /// The repository root, for samples/ and mapping/.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `gcimport ARGS` (or another product of the build) with stdin closed and returns its exit status
    /// and output.
    static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        currentDirectory: URL? = nil,
        product: String = "gcimport"
    ) throws -> Result {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(product)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "GETCOURSE_API_KEY")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = currentDirectory ?? repositoryRoot
        process.standardInput = FileHandle.nullDevice
        return try capture(process)
    }
}

extension BuiltBinary {
    /// Runs a configured process with stdout and stderr sent to temporary files, and returns both once it
    /// has exited. Files rather than pipes: a blocking pipe read in the test process can be interrupted by a
    /// signal meant for another test's child, and Foundation's `readDataToEndOfFile` traps on EINTR.
    static func capture(_ process: Process) throws -> Result {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gcimport-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try readRetryingInterrupts(outURL), as: UTF8.self),
            stderr: String(decoding: try readRetryingInterrupts(errURL), as: UTF8.self)
        )
    }

    private static func readRetryingInterrupts(_ url: URL) throws -> [UInt8] {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: buffer[..<count])
            } else if count == 0 {
                return bytes
            } else if errno != EINTR {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        }
    }
}

@Test func binaryPrintsVersion() throws {
    let result = try BuiltBinary.run(["--version"])
    #expect(result.status == 0)
    #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
}

extension SandboxServer: TestResource {
    func release() async { try? await shutdown() }
}
