import Foundation
import TestSupport
import Testing

@testable import GetCourseSandbox

/// Kills `gcimport run` at random moments and runs it again: every row must end in GetCourse exactly once.
@Suite(.serialized) struct RunKillTests {
    /// Starts the binary without waiting; output goes to files so a killed child never blocks on a pipe.
    static func start(_ arguments: [String], key: String, in dir: URL, tag: String) throws -> Process {
        let process = Process()
        process.executableURL = BuiltBinary.gcimport
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["GETCOURSE_API_KEY"] = key
        process.environment = env
        process.currentDirectoryURL = dir
        let out = dir.appendingPathComponent("\(tag).out")
        let err = dir.appendingPathComponent("\(tag).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func killedTenTimesThenResumedEndsWithEveryRowExactlyOnce() async throws {
        let key = "kill-test-key"
        let server = SandboxServer(configuration: SandboxConfiguration(key: key, latencyMilliseconds: 2, threads: 2))
        try await server.start()
        try await withCleanup(server) { () async throws in
            let dir = try RunTests.folder(rows: 4000)
            defer { try? FileManager.default.removeItem(at: dir) }
            // 200/s keeps the import at 20 s or more, so ten kills 150-700 ms after each start land mid-import
            // however fast the machine is, and also on a loaded one where the sleeps overrun (2,000 rows at 200/s
            // once ran out after nine kills there). The last run goes unthrottled.
            let base = [
                "run", "users.csv", "--mapping", "users.yaml", "--endpoint", server.baseURL, "--burst", "20",
                "--workers", "8", "--quiet",
            ]
            var kills = 0
            for round in 0..<30 where kills < 10 {
                let process = try Self.start(base + ["--rate", "200/s"], key: key, in: dir, tag: "round\(round)")
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...700)))
                guard process.isRunning else {
                    process.waitUntilExit()
                    break
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                kills += 1
            }
            #expect(kills >= 10)
            let final = try Self.start(base + ["--rate", "none", "--json"], key: key, in: dir, tag: "final")
            final.waitUntilExit()
            let output = try String(contentsOf: dir.appendingPathComponent("final.out"), encoding: .utf8)
            #expect(final.terminationStatus == 0, "\(output)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(summary["rows"] as? Int == 4000)
            #expect(summary["ok"] as? Int == 4000)
            let state = try #require(server.snapshot())
            #expect(state.summary.users == 4000)
            #expect(Set(state.users.map(\.email)).count == 4000)
            // The ledger: one header, a run line per start, and every row's last line `ok`.
            let ledger = try String(contentsOf: dir.appendingPathComponent("users.csv.ledger.jsonl"), encoding: .utf8)
            var last: [Int: String] = [:]
            var runs = 0
            for line in ledger.split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                if object["type"] as? String == "run" { runs += 1 }
                if let row = object["row"] as? Int, let state = object["state"] as? String { last[row] = state }
            }
            // A kill during start-up (hashing the input) comes before the run line.
            #expect(runs >= 2 && runs <= kills + 1)
            #expect(last.count == 4000)
            #expect(last.values.allSatisfy { $0 == "ok" })
        }
    }

    @Test func killedRunsNeverDoubleADealWithoutNumber() async throws {
        let key = "kill-deals-key"
        let server = SandboxServer(configuration: SandboxConfiguration(key: key, latencyMilliseconds: 2))
        try await server.start()
        try await withCleanup(server) { () async throws in
            let dir = try RunTests.numberlessDealsFolder(rows: 1000)
            defer { try? FileManager.default.removeItem(at: dir) }
            let arguments = [
                "run", "deals.csv", "--mapping", "deals.yaml", "--endpoint", server.baseURL, "--rate", "600/s",
                "--burst", "20", "--workers", "8", "--quiet",
            ]
            for round in 0..<5 {
                let process = try Self.start(arguments, key: key, in: dir, tag: "deals\(round)")
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...500)))
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
            }
            let final = try Self.start(arguments + ["--json"], key: key, in: dir, tag: "dealsFinal")
            final.waitUntilExit()
            let output = try String(contentsOf: dir.appendingPathComponent("dealsFinal.out"), encoding: .utf8)
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            let ok = try #require(summary["ok"] as? Int)
            let unknown = try #require(summary["unknown"] as? Int)
            #expect(ok + unknown == 1000)
            // Rows killed between `sent` and their answer are unknown, at most one per worker per kill.
            #expect(unknown <= 5 * 8)
            let state = try #require(server.snapshot())
            // Never twice: no buyer has two orders, and every ok row has its order.
            #expect(state.dealsPerEmail.values.allSatisfy { $0 == 1 })
            #expect(state.summary.deals >= ok && state.summary.deals <= 1000)
        }
    }

    @Test func firstSignalStopsGracefullyAndTheRunResumes() async throws {
        let key = "signal-test-key"
        let server = SandboxServer(configuration: SandboxConfiguration(key: key, latencyMilliseconds: 20))
        try await server.start()
        try await withCleanup(server) { () async throws in
            let dir = try RunTests.folder(rows: 400)
            defer { try? FileManager.default.removeItem(at: dir) }
            let arguments = [
                "run", "users.csv", "--mapping", "users.yaml", "--endpoint", server.baseURL, "--rate", "100/s",
            ]
            let process = try Self.start(arguments, key: key, in: dir, tag: "first")
            // Signalled once rows arrive, not after a fixed time: a loaded machine may take longer to start it.
            let giveUp = ContinuousClock.now + .seconds(60)
            while (server.snapshot()?.summary.users ?? 0) < 20, process.isRunning, ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(10))
            }
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
            let out = try String(contentsOf: dir.appendingPathComponent("first.out"), encoding: .utf8)
            #expect(out.contains("Interrupted"))
            #expect(out.contains("Resume:"))
            let again = try Self.start(arguments + ["--rate", "none", "--quiet"], key: key, in: dir, tag: "second")
            again.waitUntilExit()
            #expect(again.terminationStatus == 0)
            #expect(server.snapshot()?.summary.users == 400)
        }
    }
}
