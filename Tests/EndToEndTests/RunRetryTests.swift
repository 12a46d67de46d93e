import Foundation
import TestSupport
import Testing

@testable import GetCourseSandbox

/// `gcimport retry` and `run --dry-run` through the built binary.
@Suite struct RunRetryTests {
    @Test func retrySendsTheFailedRowsOnceTheServiceIsBack() async throws {
        let key = "retry-test-key"
        let failing = SandboxServer(configuration: SandboxConfiguration(key: key, failRate: 1))
        try await failing.start()
        let port = failing.port
        let dir = try RunTests.folder(rows: 15)
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try BuiltBinary.run(
            [
                "run", "users.csv", "--mapping", "users.yaml", "--endpoint", failing.baseURL, "--rate", "none",
                "--max-attempts", "2", "--backoff-base", "0.01", "--no-check",
            ],
            environment: ["GETCOURSE_API_KEY": key], currentDirectory: dir)
        try await failing.shutdown()
        #expect(first.status == 1)
        #expect(first.stdout.contains("failed 15"))
        #expect(first.stdout.contains("gcimport retry --ledger users.csv.ledger.jsonl"))

        // The same account, healthy again, on the same address.
        let healthy = SandboxServer(configuration: SandboxConfiguration(port: port, key: key))
        try await healthy.start()
        try await withCleanup(healthy) { () async throws in
            let retry = try BuiltBinary.run(
                ["retry", "--ledger", "users.csv.ledger.jsonl", "--rate", "none", "--json"],
                environment: ["GETCOURSE_API_KEY": key], currentDirectory: dir)
            #expect(retry.status == 0, "\(retry.stderr)")
            let summary = try #require(
                try JSONSerialization.jsonObject(with: Data(retry.stdout.utf8)) as? [String: Any])
            #expect(summary["ok"] as? Int == 15)
            #expect(healthy.snapshot()?.summary.users == 15)
        }
    }

    @Test func retryRefusesAChangedInput() throws {
        let dir = try RunTests.folder(rows: 4)
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try BuiltBinary.run(
            ["run", "users.csv", "--mapping", "users.yaml", "--sandbox", "--rate", "none", "--quiet"],
            currentDirectory: dir)
        #expect(run.status == 0)
        try RunTests.users(5).write(to: dir.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
        let retry = try BuiltBinary.run(["retry", "--ledger", "users.csv.ledger.jsonl"], currentDirectory: dir)
        #expect(retry.status == 65)
        #expect(retry.stderr.contains("changed"))
    }

    @Test func dryRunSendsNothingAndReportsEveryRow() throws {
        let dir = try RunTests.folder(rows: 6)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try BuiltBinary.run(
            ["run", "users.csv", "--mapping", "users.yaml", "--dry-run"], currentDirectory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("6"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("users.csv.ledger.jsonl").path))
    }
}
