import Foundation
import TestSupport
import Testing

@testable import GetCourseSandbox

/// `gcimport run --rate auto` against a sandbox that answers 429 beyond a hidden limit: every row lands once,
/// and the ledger, the progress and the summary say which rate was in force.
@Suite struct RunAdaptiveRateTests {
    @Test func autoRateFindsAHiddenLimitAndRecordsTheRateInForce() async throws {
        let server = SandboxServer(configuration: SandboxConfiguration(key: "k", rateLimitPerSecond: 20))
        try await server.start()
        try await withCleanup(server) { () async throws in
            let dir = try RunTests.folder(rows: 150)
            defer { try? FileManager.default.removeItem(at: dir) }
            let result = try BuiltBinary.run(
                [
                    "run", "users.csv", "--mapping", "users.yaml", "--endpoint", server.baseURL, "--rate", "auto",
                    "--max-rate", "100/s", "--workers", "4", "--no-check", "--backoff-base", "0.05",
                ],
                environment: ["GETCOURSE_API_KEY": "k"], currentDirectory: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("ok 150"))
            #expect(result.stdout.contains("--rate auto ended at "))
            #expect(result.stderr.contains("rate auto (from 5/s, at most 100/s)"))
            #expect(server.snapshot()?.summary.users == 150)

            let ledger = try String(contentsOf: dir.appendingPathComponent("users.csv.ledger.jsonl"), encoding: .utf8)
            let sent = ledger.split(separator: "\n").compactMap { line -> [String: Any]? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    object["state"] as? String == "sent"
                else { return nil }
                return object
            }
            #expect(sent.count >= 150)
            let rates = sent.compactMap { ($0["rate"] as? NSNumber)?.doubleValue }
            #expect(rates.count == sent.count, "every call records the rate in force")
            #expect(rates.first == 5)
            #expect(rates.allSatisfy { $0 >= 0.2 && $0 <= 100 })
            #expect(rates.contains { $0 > 5 }, "the rate grew while answers were clean")
        }
    }

    @Test func maxRateWithoutAutoIsAUsageError() throws {
        let dir = try RunTests.folder(rows: 1)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try BuiltBinary.run(
            ["run", "users.csv", "--mapping", "users.yaml", "--sandbox", "--max-rate", "40/s"], currentDirectory: dir)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--max-rate only applies with --rate auto"))
    }
}
