import Foundation
import Testing

/// `gcimport check`, and `run`'s preflight, against `gcimport sandbox` given the account's fields and groups.
@Suite struct CheckTests {
    static let key = ["GETCOURSE_API_KEY": "sandbox-key"]

    /// A folder with the account's directories as the real account answers them, a file and a mapping.
    static func folder(field: String, group: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try #"""
        {"success":true,"info":[{"id":10558670,"type":"text","title":"Telegram","required":0,"field_order_pos":0,"context_type":"user"},{"id":10558671,"type":"text","title":"Источник заказа","required":0,"field_order_pos":1,"context_type":"deal"}]}
        """#.write(to: dir.appendingPathComponent("fields.json"), atomically: true, encoding: .utf8)
        try #"""
        {"success":true,"info":[{"id":4848962,"name":"Основы Python","last_added_at":"2026-06-22 11:44:29"},{"id":4848963,"name":"Поток 3","last_added_at":null}]}
        """#.write(to: dir.appendingPathComponent("groups.json"), atomically: true, encoding: .utf8)
        try """
        Email;Имя;Ник;Группы
        anna@example.com;Анна;@anna;Основы Python
        boris@example.com;Борис;@boris;\(group), Поток 4
        vera@example.com;Вера;;Основы Python
        """.write(to: dir.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
        try """
        kind: user
        fields:
          user.email: {column: Email, transforms: [email]}
          user.first_name: Имя
          user.addfields.\(field): Ник
          user.group_name: {column: Группы, split: ","}
        """.write(to: dir.appendingPathComponent("users.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aMistypedFieldAndANearMissGroupStopTheImportUntilFixed() async throws {
        let dir = try Self.folder(field: "Telegramm", group: "Основы Pyhton")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await SandboxProcess.with(["--fields", "fields.json", "--groups", "groups.json"], in: dir) { sandbox in
            let check = try BuiltBinary.run(
                ["check", "users.csv", "--mapping", "users.yaml", "--endpoint", sandbox.url],
                environment: Self.key, currentDirectory: dir)
            #expect(check.status == 65, "\(check.stderr)")
            #expect(check.stdout.contains("users.yaml:5: user.addfields.Telegramm"))
            #expect(check.stdout.contains("nearest: «Telegram»"))
            #expect(check.stdout.contains("«Основы Pyhton» (1 row, first at line 3)"))
            #expect(check.stdout.contains("almost the same as its «Основы Python»"))
            // A new group that is not a near miss is listed, not refused.
            #expect(check.stdout.contains("· «Поток 4»"))

            let run = try BuiltBinary.run(
                ["run", "users.csv", "--mapping", "users.yaml", "--endpoint", sandbox.url, "--rate", "none"],
                environment: Self.key, currentDirectory: dir)
            #expect(run.status == 65)
            #expect(run.stderr.contains("nothing was sent and no ledger was written"))
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("users.csv.ledger.jsonl").path))
            #expect(try await sandbox.users().isEmpty)

            // Fixed: the field's name in the mapping, the group's in the file.
            let fixed = try Self.folder(field: "Telegram", group: "Основы Python")
            defer { try? FileManager.default.removeItem(at: fixed) }
            for name in ["users.csv", "users.yaml"] {
                try FileManager.default.removeItem(at: dir.appendingPathComponent(name))
                try FileManager.default.copyItem(
                    at: fixed.appendingPathComponent(name), to: dir.appendingPathComponent(name))
            }
            let again = try BuiltBinary.run(
                ["check", "users.csv", "--mapping", "users.yaml", "--endpoint", sandbox.url, "--json"],
                environment: Self.key, currentDirectory: dir)
            #expect(again.status == 0, "\(again.stdout)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
            #expect(report["problems"] as? Int == 0)
            #expect(report["new_groups"] as? Int == 1)
            let imported = try BuiltBinary.run(
                ["run", "users.csv", "--mapping", "users.yaml", "--endpoint", sandbox.url, "--rate", "none"],
                environment: Self.key, currentDirectory: dir)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stderr.contains("check passed"))
            let ledger = try String(contentsOf: dir.appendingPathComponent("users.csv.ledger.jsonl"), encoding: .utf8)
            #expect(ledger.contains(#""type":"check""#))
            #expect(try await sandbox.users().count == 3)
        }
    }

    @Test func strictGroupsRefusesEveryNewGroupAndAWrongKeyIs69() async throws {
        let dir = try Self.folder(field: "Telegram", group: "Основы Python")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await SandboxProcess.with(["--fields", "fields.json", "--groups", "groups.json"], in: dir) { sandbox in
            let strict = try BuiltBinary.run(
                ["check", "users.csv", "--mapping", "users.yaml", "--endpoint", sandbox.url, "--strict-groups"],
                environment: Self.key, currentDirectory: dir)
            #expect(strict.status == 65)
            #expect(strict.stdout.contains("✗ «Поток 4»"))
            let wrongKey = try BuiltBinary.run(
                ["check", "users.csv", "--mapping", "users.yaml", "--endpoint", sandbox.url],
                environment: ["GETCOURSE_API_KEY": "not-the-key"], currentDirectory: dir)
            #expect(wrongKey.status == 69)
            #expect(wrongKey.stdout.contains("Неавторизованное API-обращение"))
            #expect(!wrongKey.stdout.contains("not-the-key") && !wrongKey.stderr.contains("not-the-key"))
        }
    }

    @Test func anOrderFieldMappedAsAUserFieldIsNamed() async throws {
        let dir = try Self.folder(field: "Источник заказа", group: "Основы Python")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await SandboxProcess.with(["--fields", "fields.json", "--groups", "groups.json"], in: dir) { sandbox in
            let check = try BuiltBinary.run(
                ["check", "users.csv", "--mapping", "users.yaml", "--endpoint", sandbox.url],
                environment: Self.key, currentDirectory: dir)
            #expect(check.status == 65)
            #expect(check.stdout.contains("is an additional field of the orders, not of the users"))
        }
    }
}
