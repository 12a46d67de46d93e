import Foundation
import Testing

@testable import CSVReader
@testable import GCImportKit

/// Fixtures live beside the tests and are found through #filePath (no SwiftPM resources).
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/mapping")

private func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-\(UUID().uuidString)-\(name)").path
}

@Test func dryRunCountsEveryRow() throws {
    let mapping = try Mapping.load(path: fixture("users.yaml"))
    let report = try DryRun(file: fixture("users.csv"), mapping: mapping).run()
    #expect(report.rows == 6)
    #expect(report.valid == 3)
    #expect(report.invalid == 2)
    #expect(report.skipped == 1)
    #expect(report.valid + report.invalid + report.skipped == report.rows)
    #expect(report.exitStatus == .problems)
    // ivan@mail.ru on lines 2 and 4 (case and spaces differ); anna on 7 only once valid (line 6 is invalid).
    #expect(report.duplicates == 1)
    #expect(report.duplicateGroups == [DuplicateGroup(key: "ivan@mail.ru", count: 2, lines: [2, 4])])
    let email = try #require(report.errors.first { $0.field == "user.email" })
    #expect(email.line == 3)
    #expect(email.column == 1)
    #expect(email.value == "bad-email")
    #expect(report.fieldErrors.map(\.field).sorted() == ["user.email", "user.phone"])
    #expect(report.skipReasons.first?.reason == "column «Имя» is «Без почты»")
    let text = DryRunRenderer.text(report)
    #expect(text.contains("rows 6  valid 3  invalid 2  skipped 1  duplicates 1"))
    #expect(text.contains("users.csv:3:1 (Email): user.email: not an email address: no «@» (value «bad-email»)"))
}

@Test func dryRunJSONHasTheFixedShape() throws {
    let mapping = try Mapping.load(path: fixture("users.yaml"))
    var options = DryRunOptions()
    options.errorLimit = 1
    let report = try DryRun(file: fixture("users.csv"), mapping: mapping, options: options).run()
    let json = DryRunRenderer.json(report)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(
        Set(object.keys) == ["rows", "valid", "invalid", "skipped", "duplicates", "warnings", "errors", "errors_total"])
    #expect(object["errors_total"] as? Int == 2)
    let errors = try #require(object["errors"] as? [[String: Any]])
    #expect(errors.count == 1)
    #expect(errors[0]["line"] as? Int == 3)
    #expect(errors[0]["column"] as? Int == 1)
    #expect(errors[0]["value"] as? String == "bad-email")
    #expect(errors[0]["field"] as? String == "user.email")
}

@Test func rejectsAndPayloadsFilesAreWritten() throws {
    let mapping = try Mapping.load(path: fixture("users.yaml"))
    var options = DryRunOptions()
    options.rejectsPath = temporaryPath("rejects.csv")
    options.payloadsPath = temporaryPath("payloads.jsonl")
    options.show = 1
    let report = try DryRun(file: fixture("users.csv"), mapping: mapping, options: options).run()
    let rejects = try #require(FileManager.default.contents(atPath: options.rejectsPath ?? ""))
    #expect(Array(rejects.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let lines = String(decoding: rejects.dropFirst(3), as: UTF8.self).split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[0] == "Email;Имя;Телефон;Группы;_line;_error")
    #expect(lines[1].hasPrefix("bad-email;Пётр;+7 900 000 00 00;VIP;3;user.email (Email): not an email address"))
    let payloads = try String(contentsOfFile: options.payloadsPath ?? "", encoding: .utf8)
    #expect(payloads.split(separator: "\n").count == 3)
    #expect(payloads.hasPrefix(#"{"user":{"email":"ivan@mail.ru","phone":"+79001234567","first_name":"Иван","#))
    #expect(report.shown.count == 1)
    #expect(report.shown[0].maskedBody.hasPrefix("action=add&key=***&params="))
    // The rejects file feeds back with the same mapping: the same two rows fail again, nothing else.
    let again = try DryRun(file: options.rejectsPath ?? "", mapping: mapping).run()
    #expect(again.rows == 2)
    #expect(again.invalid == 2)
}

@Test func unknownColumnNamesTheCSVFile() throws {
    let mapping = try Mapping.parse(yaml: "kind: user\nfields:\n  user.email: Почта\n", path: "m.yaml")
    #expect {
        try DryRun(file: fixture("users.csv"), mapping: mapping).run()
    } throws: { error in
        "\(error)".contains("column «Почта» is not in the CSV file") && "\(error)".contains("users.csv")
    }
}

@Test func bloomFilterFlagsRepeatsAndOnlyThem() {
    var detector = DuplicateDetector(blockCount: 1 << 11)
    for index in 0..<20_000 { detector.insert("user\(index)@example.com") }
    // About ten keys per 64-byte block, as 5M keys fill the real filter: no distinct key may pass for a repeat
    // (probes sharing 18 bits of hash let dozens through here).
    #expect(detector.candidates.isEmpty)
    detector.insert("user42@example.com")
    #expect(detector.candidates.contains(DuplicateDetector.hash("user42@example.com")))
    var collector = DuplicateCollector()
    for (line, key) in ["user42@example.com", "x@y.ru", "user42@example.com"].enumerated()
    where detector.candidates.contains(DuplicateDetector.hash(key)) {
        collector.add(key, line: line + 2)
    }
    #expect(collector.duplicates == [DuplicateGroup(key: "user42@example.com", count: 2, lines: [2, 4])])
}

@Test func theFilterIsSizedForTheKeysAFileHolds() {
    #expect(DuplicateDetector.blockCount(forKeys: 0) == 1 << 12)
    #expect(DuplicateDetector.blockCount(forKeys: 40_950) == 1 << 12)
    #expect(DuplicateDetector.blockCount(forKeys: 1_080_000) == 1 << 17)
    #expect(DuplicateDetector.blockCount(forKeys: 5_400_000) == 1 << 19)
    #expect(DuplicateDetector.blockCount(forKeys: 1 << 40) == DuplicateDetector.blockCount)
}

/// The filter is sized from the first batch; when the rows after it are far shorter, the file holds far more
/// keys than the filter was sized for. Distinct keys then pass for repeats, and the second pass must sort
/// them out: the count of duplicates stays exact.
@Test func aFilterSizedTooSmallStillCountsDuplicatesExactly() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-filter-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var lines = ["Email;Note"]
    let padding = String(repeating: "x", count: 4_000)
    for index in 0..<1_100 { lines.append("long\(index)@example.com;\(padding)") }
    // About 50 keys a block of the smallest filter: thousands of distinct keys pass for repeats.
    for index in 0..<200_000 { lines.append("u\(index)@e.ru;") }
    // Seven repeats, the last far down the file.
    for index in [5, 70, 900, 12_000, 30_000, 45_000, 199_999] { lines.append("u\(index)@e.ru;") }
    let file = folder.appendingPathComponent("users.csv").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let mapping = try loadMapping("kind: user\nfields:\n  user.email: {column: Email, transforms: [email]}\n")
    let report = try DryRun(file: file, mapping: mapping).run()
    #expect(report.rows == 201_107)
    #expect(report.duplicates == 7)
    #expect(report.duplicateGroups.count == 7)
    #expect(report.duplicateGroups.last?.lines == [200_000 + 1_100 + 1, 201_108])
}

@Test func tabDelimitedWindows1251OrdersWithZones() throws {
    let mapping = try Mapping.load(path: fixture("deals-tab.yaml"))
    var options = DryRunOptions()
    options.show = 1
    options.payloadsPath = temporaryPath("deals.jsonl")
    let report = try DryRun(file: fixture("deals-tab.tsv"), mapping: mapping, options: options).run()
    #expect(report.input.encoding == .windows1251)
    #expect(report.input.delimiter == 0x09)
    #expect(report.rows == 3)
    #expect(report.valid == 2)
    #expect(report.errors.map(\.field) == ["deal.deal_cost"])
    #expect(report.errors.first?.line == 3)
    // Deal number 1001 twice: the same order updated, reported as a duplicate.
    #expect(report.duplicateGroups == [DuplicateGroup(key: "1001", count: 2, lines: [2, 4])])
    let payloads = try String(contentsOfFile: options.payloadsPath ?? "", encoding: .utf8).split(separator: "\n")
    // +03:00 in the file, UTC in the account: three hours earlier.
    let expected: String =
        #"{"user":{"email":"anna@mail.ru"},"deal":{"deal_number":"1001","product_title":"Курс «Старт»","#
        + #""deal_cost":"1500","deal_status":"payed","deal_created_at":"2024-02-01 07:00:00"}}"#
    #expect(payloads.first.map(String.init) == expected)
    #expect(payloads.last?.contains(#""deal_created_at":"2024-02-03 06:15:00""#) == true)
}

@Test func headerlessFilesMapByColumnNumber() throws {
    let mapping = try Mapping.load(path: fixture("headerless.yaml"))
    var options = DryRunOptions()
    options.rejectsPath = temporaryPath("rejects.csv")
    let report = try DryRun(file: fixture("headerless.csv"), mapping: mapping, options: options).run()
    #expect(report.rows == 2)
    #expect(report.valid == 1)
    #expect(report.errors.first?.line == 2)
    #expect(report.errors.first?.column == 1)
    let rejects = try #require(FileManager.default.contents(atPath: options.rejectsPath ?? ""))
    // No header row was read, so none is written: the file reads back the same way.
    #expect(String(decoding: rejects.dropFirst(3), as: UTF8.self).hasPrefix("bad;Пётр;2;"))
}

@Test func readerProblemsCarryTheCellAndQuoteItOnce() throws {
    // Read as UTF-8, as the mapping says; the Windows-1251 name on line 3 is not UTF-8.
    let path = temporaryPath("late-1251.csv")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var bytes = Array("email;name\na@b.ru;Ivan\nc@d.ru;".utf8)
    bytes += [0xC8, 0xE2, 0xE0, 0xED]  // «Иван» in Windows-1251
    bytes += Array("\n".utf8)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let mapping = try Mapping.parse(
        yaml: "kind: user\ncsv: {encoding: utf-8}\nfields:\n  user.email: email\n  user.first_name: name\n",
        path: "m.yaml")
    let report = try DryRun(file: path, mapping: mapping).run()
    #expect(report.valid == 1)
    let error = try #require(report.errors.first)
    #expect(error.field == "csv")
    #expect(error.line == 3)
    #expect(error.column == 2)
    #expect(error.value == "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
    let line = DryRunRenderer.line(error, file: "f.csv")
    #expect(line.hasPrefix("f.csv:3:2 (name): csv: bytes that are not UTF-8 (0xC8 0xE2 0xE0 0xED)"))
    // The message shows how the bytes read as Windows-1251, not the replacement characters.
    #expect(line.contains("where it reads «Иван»"))
    #expect(!line.contains("\u{FFFD}"))
    #expect(!line.contains("(value «»)"))
    #expect(DryRunRenderer.json(report).contains(#""value":"\#u{FFFD}\#u{FFFD}\#u{FFFD}\#u{FFFD}""#))
}

/// The second pass reads keys on bytes where it can; an email with a Cyrillic domain is lowercased by the
/// `String` path only, and its repeats are found all the same, next to ASCII ones that differ in case.
@Test func repeatsOfKeysOutsideASCIIAreFoundToo() throws {
    let file = temporaryPath("idn.csv")
    defer { try? FileManager.default.removeItem(atPath: file) }
    let lines = [
        "Email;Имя", "ivan@Почта.рф;a", "petr@mail.ru;b", "ivan@почта.рф;c", " PETR@mail.ru ;d", "ivan@ПОЧТА.РФ;e",
        "olga@mail.ru;f",
    ]
    try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let mapping = try loadMapping("kind: user\nfields:\n  user.email: {column: Email, transforms: [email]}\n")
    let report = try DryRun(file: file, mapping: mapping).run()
    #expect(report.valid == 6)
    #expect(report.duplicates == 3)
    #expect(
        report.duplicateGroups.sorted { $0.key < $1.key } == [
            DuplicateGroup(key: "ivan@почта.рф", count: 3, lines: [2, 4, 6]),
            DuplicateGroup(key: "petr@mail.ru", count: 2, lines: [3, 5]),
        ])
}
