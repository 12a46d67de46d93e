import Foundation
import TestSupport
import Testing

@testable import GetCourseSandbox

/// `gcimport run` and `retry` as a user runs them: the built binary, a real sandbox on loopback.
@Suite struct RunTests {
    static let mapping = """
        kind: user
        fields:
          user.email: {column: Email, transforms: [email]}
          user.first_name: Имя
          system.refresh_if_exists: {value: 1}
        """

    static func users(_ count: Int) -> String {
        var text = "Email;Имя\n"
        for index in 1...count { text += "person\(index)@example.com;Имя \(index)\n" }
        return text
    }

    /// A scratch folder holding `users.csv` and `users.yaml`.
    static func folder(rows: Int) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try users(rows).write(to: url.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
        try mapping.write(to: url.appendingPathComponent("users.yaml"), atomically: true, encoding: .utf8)
        return url
    }

    /// A scratch folder holding `deals.csv` (one deal per buyer, no order number) and `deals.yaml`: the rows
    /// that must never reach GetCourse twice.
    static func numberlessDealsFolder(rows: Int) throws -> URL {
        let url = try folder(rows: 1)
        var csv = "Email;Товар;Сумма\n"
        for index in 1...rows { csv += "buyer\(index)@example.com;Курс;1000\n" }
        try csv.write(to: url.appendingPathComponent("deals.csv"), atomically: true, encoding: .utf8)
        try """
        kind: deal
        fields:
          user.email: {column: Email, transforms: [email]}
          deal.product_title: Товар
          deal.deal_cost: {column: Сумма, transforms: [money]}
        """.write(to: url.appendingPathComponent("deals.yaml"), atomically: true, encoding: .utf8)
        return url
    }

    @Test func sandboxQuickStartImportsAndSaysWhatNext() throws {
        let dir = try Self.folder(rows: 12)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try BuiltBinary.run(
            ["run", "users.csv", "--mapping", "users.yaml", "--sandbox", "--rate", "none"], currentDirectory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("sandbox"))
        #expect(result.stdout.contains("ok 12"))
        #expect(result.stdout.contains("Ledger: users.csv.ledger.jsonl"))
        #expect(result.stdout.contains("gcimport report --ledger users.csv.ledger.jsonl"))
        // Run again: everything is already done, nothing is sent.
        let again = try BuiltBinary.run(
            ["run", "users.csv", "--mapping", "users.yaml", "--sandbox", "--json"], currentDirectory: dir)
        #expect(again.status == 0)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(json["rows"] as? Int == 12)
        #expect(json["ok"] as? Int == 12)
        for key in ["rejected", "failed", "unknown", "invalid", "skipped", "ledger", "elapsed_s", "rate_per_s"] {
            #expect(json[key] != nil, "missing \(key)")
        }
    }

    @Test func usageErrorsExit64() throws {
        let dir = try Self.folder(rows: 1)
        defer { try? FileManager.default.removeItem(at: dir) }
        let none = try BuiltBinary.run(["run", "users.csv", "--mapping", "users.yaml"], currentDirectory: dir)
        #expect(none.status == 64)
        let two = try BuiltBinary.run(
            ["run", "users.csv", "--mapping", "users.yaml", "--sandbox", "--account", "x"], currentDirectory: dir)
        #expect(two.status == 64)
        let plain = try BuiltBinary.run(
            ["run", "users.csv", "--mapping", "users.yaml", "--endpoint", "http://school.example.com"],
            environment: ["GETCOURSE_API_KEY": "k"], currentDirectory: dir)
        #expect(plain.status == 64)
        #expect(plain.stderr.contains("https"))
        let keyless = try BuiltBinary.run(
            ["run", "users.csv", "--mapping", "users.yaml", "--account", "school"], currentDirectory: dir)
        #expect(keyless.status == 64)
        #expect(keyless.stderr.contains("GETCOURSE_API_KEY"))
    }

    @Test func theKeyNeverShowsAndABadKeyExits69() async throws {
        let secret = "e2e-secret-\(UUID().uuidString)"
        let server = SandboxServer(configuration: SandboxConfiguration(key: secret))
        try await server.start()
        try await withCleanup(server) { () async throws in
            let dir = try Self.folder(rows: 20)
            defer { try? FileManager.default.removeItem(at: dir) }
            let arguments = [
                "run", "users.csv", "--mapping", "users.yaml", "--endpoint", server.baseURL, "--rate", "none",
                "--log-level", "debug",
            ]
            let wrong = "wrong-\(secret)"
            let refused = try BuiltBinary.run(
                arguments, environment: ["GETCOURSE_API_KEY": wrong], currentDirectory: dir)
            #expect(refused.status == 69)
            #expect(refused.stderr.contains("GETCOURSE_API_KEY"))
            let ok = try BuiltBinary.run(arguments, environment: ["GETCOURSE_API_KEY": secret], currentDirectory: dir)
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.stderr.contains("call.outcome"))
            #expect(server.snapshot()?.summary.users == 20)
            let ledger = try String(contentsOf: dir.appendingPathComponent("users.csv.ledger.jsonl"), encoding: .utf8)
            for text in [refused.stdout, refused.stderr, ok.stdout, ok.stderr, ledger] {
                #expect(!text.contains(secret))
            }
        }
    }

    @Test func aChangedInputIsRefusedWith65() async throws {
        let dir = try Self.folder(rows: 3)
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = ["run", "users.csv", "--mapping", "users.yaml", "--sandbox", "--rate", "none", "--quiet"]
        #expect(try BuiltBinary.run(arguments, currentDirectory: dir).status == 0)
        try Self.users(4).write(to: dir.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
        let refused = try BuiltBinary.run(arguments, currentDirectory: dir)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("--new-ledger"))
        let restarted = try BuiltBinary.run(arguments + ["--new-ledger"], currentDirectory: dir)
        #expect(restarted.status == 0)
    }
}
