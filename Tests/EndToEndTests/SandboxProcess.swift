import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `gcimport sandbox` as a separate process, as a user runs it: started on a free port, its URL read from
/// what it prints, its state read over HTTP, and always stopped when the test's body ends.
struct SandboxProcess {
    let url: String
    let process: Process

    /// Runs `body` with a sandbox started with `arguments` (after `sandbox --port 0`), then stops it.
    static func with<T>(
        _ arguments: [String], in directory: URL, _ body: (SandboxProcess) async throws -> T
    ) async throws -> T {
        let sandbox = try start(arguments, in: directory)
        do {
            let result = try await body(sandbox)
            sandbox.stop()
            return result
        } catch {
            sandbox.stop()
            throw error
        }
    }

    static func start(_ arguments: [String], in directory: URL) throws -> SandboxProcess {
        let output = directory.appendingPathComponent("sandbox-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = BuiltBinary.gcimport
        process.arguments = ["sandbox", "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let giveUp = Date() + 30
        while Date() < giveUp {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on ") }),
                let url = line.split(separator: " ").last
            {
                return SandboxProcess(url: String(url), process: process)
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        process.terminate()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        throw SandboxStartFailure(output: text)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// `GET /__sandbox/state`, decoded.
    func state() async throws -> [String: Any] {
        let address = try #require(URL(string: url + "/__sandbox/state"))
        let (data, _) = try await URLSession.shared.data(from: address)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The sandbox's deals and users, from its state.
    func deals() async throws -> [[String: Any]] { try await state()["deals"] as? [[String: Any]] ?? [] }
    func users() async throws -> [[String: Any]] { try await state()["users"] as? [[String: Any]] ?? [] }
}

struct SandboxStartFailure: Error, CustomStringConvertible {
    var output: String
    var description: String { "gcimport sandbox did not start: \(output)" }
}
