import Foundation
import Testing

/// The after-import loop a user goes through: run, read the report, export the rows to fix, fix them, import
/// the fixed file with the same mapping.
@Suite struct FailedRowsTests {
    /// A copy of the bundled dirty sample and its mapping in a scratch folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (source, name) in [("samples/users-dirty.csv", "users.csv"), ("mapping/users-dirty.yaml", "users.yaml")] {
            try FileManager.default.copyItem(
                at: BuiltBinary.repositoryRoot.appendingPathComponent(source), to: url.appendingPathComponent(name))
        }
        return url
    }

    @Test func rowsToFixComeBackInTheInputsFormatAndImportOnceFixed() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try BuiltBinary.run(
            ["run", "users.csv", "--mapping", "users.yaml", "--sandbox", "--rate", "none", "--json"],
            currentDirectory: dir)
        // Some rows are invalid, so the run ends with 1 and the summary counts them.
        #expect(run.status == 1, "\(run.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let invalid = try #require(summary["invalid"] as? Int)
        #expect(invalid > 0)

        let report = try BuiltBinary.run(
            ["report", "--ledger", "users.csv.ledger.jsonl", "--json"], currentDirectory: dir)
        #expect(report.status == 1)
        let reportJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        #expect((reportJSON["counts"] as? [String: Int])?["invalid"] == invalid)

        // The same report as a page to hand over; a folder that does not exist cannot hold it.
        let page = try BuiltBinary.run(
            ["report", "--ledger", "users.csv.ledger.jsonl", "--html", "report.html"], currentDirectory: dir)
        #expect(page.status == 1, "\(page.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Rows that need attention"))
        #expect(html.contains(">\(invalid)</div><div class=\"label\">invalid"))
        let nowhere = try BuiltBinary.run(
            ["report", "--ledger", "users.csv.ledger.jsonl", "--html", "no/such/folder/report.html"],
            currentDirectory: dir)
        #expect(nowhere.status == 73)
        #expect(nowhere.stderr.contains("cannot write no/such/folder/report.html"))

        let failed = try BuiltBinary.run(
            ["failed", "--ledger", "users.csv.ledger.jsonl", "-o", "fix.csv"], currentDirectory: dir)
        #expect(failed.status == 0, "\(failed.stderr)")
        #expect(failed.stdout.contains("Wrote \(invalid) rows to fix.csv"))

        // The exported rows read back with the same mapping; unfixed, they are exactly as invalid as before.
        let again = try BuiltBinary.run(
            ["validate", "fix.csv", "--mapping", "users.yaml", "--json"], currentDirectory: dir)
        let againJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(againJSON["rows"] as? Int == invalid)
        #expect(againJSON["invalid"] as? Int == invalid - 1, "the ragged row is padded on export, so it reads whole")

        // Fix them the way a user would in Excel: keep only rows with a plausible email and phone.
        let text = try String(contentsOf: dir.appendingPathComponent("fix.csv"), encoding: .utf8)
        var lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = lines.removeFirst()
        let fixed = lines.enumerated().map { index, line -> String in
            var fields = line.components(separatedBy: ";")
            fields[0] = "fixed\(index)@example.ru"
            fields[3] = "+7 916 000-00-0\(index)"
            fields[7] = "01.02.2024"
            return fields.joined(separator: ";")
        }
        try ([header] + fixed).joined(separator: "\r\n").write(
            to: dir.appendingPathComponent("fixed.csv"), atomically: true, encoding: .utf8)
        let imported = try BuiltBinary.run(
            ["run", "fixed.csv", "--mapping", "users.yaml", "--sandbox", "--rate", "none", "--json"],
            currentDirectory: dir)
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
    }
}
