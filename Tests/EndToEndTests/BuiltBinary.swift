import Foundation
import Testing

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
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }
}

@Test func binaryPrintsVersion() throws {
    let result = try BuiltBinary.run(["--version"])
    #expect(result.status == 0)
    #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
}
