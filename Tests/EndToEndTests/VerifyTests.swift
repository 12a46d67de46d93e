import Foundation
import Testing

/// `gcimport verify` as a user runs it: lost answers, killed runs and a killed verification, then `retry`,
/// against `gcimport sandbox` in a process of its own, judged from the sandbox's state.
@Suite(.serialized) struct VerifyTests {
    static let key = ["GETCOURSE_API_KEY": "sandbox-key"]

    /// Waits until `path` holds a line containing `text` (or the process ended).
    static func waitForLine(containing text: String, in path: URL, while process: Process) async throws {
        let giveUp = ContinuousClock.now + .seconds(60)
        while process.isRunning, ContinuousClock.now < giveUp {
            if ((try? String(contentsOf: path, encoding: .utf8)) ?? "").contains(text) { return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func states(_ dir: URL) throws -> [String: Int] {
        let report = try BuiltBinary.run(
            ["report", "--ledger", "deals.csv.ledger.jsonl", "--json"], currentDirectory: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        return try #require(object["counts"] as? [String: Int])
    }

    @Test func lostAnswersAndKillsEndWithExactlyOneOrderPerRow() async throws {
        let dir = try RunTests.numberlessDealsFolder(rows: 1000)
        defer { try? FileManager.default.removeItem(at: dir) }
        try await SandboxProcess.with(
            [
                "--drop-rate", "0.2", "--seed", "9", "--latency", "1", "--export-polls", "3", "--export-build-seconds",
                "5",
            ], in: dir
        ) { sandbox in
            let run = [
                "run", "deals.csv", "--mapping", "deals.yaml", "--endpoint", sandbox.url, "--rate", "none",
                "--workers", "8", "--quiet",
            ]
            // A run killed part-way, then resumed: rows killed in flight are unknown too, landed or not.
            let killed = try RunKillTests.start(run, key: "sandbox-key", in: dir, tag: "killed")
            let ledger = dir.appendingPathComponent("deals.csv.ledger.jsonl")
            try await Self.waitForLine(containing: #"{"row":300,"#, in: ledger, while: killed)
            kill(killed.processIdentifier, SIGKILL)
            killed.waitUntilExit()
            let resumed = try BuiltBinary.run(run, environment: Self.key, currentDirectory: dir)
            #expect(resumed.status == 1, "\(resumed.stderr)")
            let unknown = try #require(try Self.states(dir)["unknown"])
            #expect(unknown > 100)

            // verify killed once its export is under way, then run again to the end.
            let verify = ["verify", "--ledger", "deals.csv.ledger.jsonl", "--poll-interval", "0.2"]
            let interrupted = try RunKillTests.start(verify, key: "sandbox-key", in: dir, tag: "verify")
            try await Self.waitForLine(containing: #""type":"export""#, in: ledger, while: interrupted)
            kill(interrupted.processIdentifier, SIGKILL)
            interrupted.waitUntilExit()
            let verified = try BuiltBinary.run(verify + ["--json"], environment: Self.key, currentDirectory: dir)
            #expect([0, 1].contains(verified.status), "\(verified.stderr)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [String: Any])
            let counts = try #require(report["counts"] as? [String: Int])
            #expect(counts["ambiguous"] == 0)
            // Every unknown row is settled once, by this verify or by the killed one when the machine was slow
            // enough for it to get that far before the kill.
            let settled = try String(contentsOf: ledger, encoding: .utf8).split(separator: "\n").filter {
                $0.contains(#""verified":"resolved""#) || $0.contains(#""verified":"not_found""#)
            }
            #expect(settled.count == unknown)
            #expect(try Self.states(dir)["unknown"] == 0)

            // retry sends the rows that are not there; lost answers may leave a few unknown again: verify them.
            for _ in 0..<6 {
                let states = try Self.states(dir)
                if states["failed"] == 0 && states["unknown"] == 0 { break }
                if states["unknown"]! > 0 {
                    _ = try BuiltBinary.run(verify, environment: Self.key, currentDirectory: dir)
                }
                _ = try BuiltBinary.run(
                    ["retry", "--ledger", "deals.csv.ledger.jsonl", "--rate", "none", "--quiet"],
                    environment: Self.key, currentDirectory: dir)
            }
            #expect(try Self.states(dir)["ok"] == 1000)
            let deals = try await sandbox.deals()
            #expect(deals.count == 1000)
            let buyers = deals.compactMap { $0["user_email"] as? String }
            #expect(Set(buyers).count == 1000)
        }
    }
}
