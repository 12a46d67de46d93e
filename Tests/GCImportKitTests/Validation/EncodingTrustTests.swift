import Foundation
import Testing

@testable import CSVReader
@testable import GCImportKit

// What the dry run says about text that is in the wrong encoding: the odd Windows-1251 row of a UTF-8 file is
// invalid on its line and goes to the rejects file byte for byte; values garbled by a wrong decoding are
// valid text, and get a warning whatever encoding the file was read with.

private let mappingYAML = """
    kind: user
    fields:
      user.email: {column: Email, transforms: [email], required: true}
      user.first_name: Имя
      user.city: Город
    """

private func directory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-enc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func dryRun(_ csv: [UInt8], in folder: URL, options: DryRunOptions = .init()) throws -> DryRunReport {
    let file = folder.appendingPathComponent("users.csv").path
    let mappingPath = folder.appendingPathComponent("users.yaml").path
    try Data(csv).write(to: URL(fileURLWithPath: file))
    try mappingYAML.write(toFile: mappingPath, atomically: true, encoding: .utf8)
    return try DryRun(file: file, mapping: try Mapping.load(path: mappingPath), options: options).run()
}

/// Lines of a users file, each in UTF-8 or (for the line numbers in `windows1251`, 1 = header) Windows-1251.
private func usersFile(_ lines: [String], windows1251: Set<Int> = []) -> [UInt8] {
    lines.enumerated().flatMap { index, line in
        windows1251.contains(index + 1)
            ? Array((line + "\n").data(using: .windowsCP1251) ?? Data()) : Array((line + "\n").utf8)
    }
}

private let lines = [
    "Email;Имя;Город", "anna@mail.ru;Анна;Москва", "petr@mail.ru;Пётр;Казань", "olga@mail.ru;Ольга;Тверь",
    "yulia@mail.ru;Юлия;Сочи",
]

@Test func theOddWindows1251RowIsInvalidOnItsLineAndGoesToTheRejectsFileAsItWas() throws {
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var options = DryRunOptions()
    options.rejectsPath = folder.appendingPathComponent("rejects.csv").path
    let report = try dryRun(usersFile(lines, windows1251: [3]), in: folder, options: options)
    #expect(report.input.encoding == .utf8)
    #expect((report.rows, report.valid, report.invalid) == (4, 3, 1))
    let error = try #require(report.errors.first)
    #expect(error.line == 3)
    #expect(error.message.contains("where it reads «Пётр»"))
    #expect(!report.warnings.contains { $0.contains("look like") })

    // The rejects file holds the row's own bytes, so fed back it is refused again, not imported as U+FFFD.
    let rejects = try Data(contentsOf: URL(fileURLWithPath: options.rejectsPath ?? ""))
    let original = try #require("petr@mail.ru;Пётр;Казань".data(using: .windowsCP1251))
    #expect(rejects.range(of: original) != nil)
    #expect(rejects.range(of: Data([0xEF, 0xBF, 0xBD])) == nil, "no U+FFFD written")
    let again = try DryRun(
        file: options.rejectsPath ?? "",
        mapping: try Mapping.load(path: folder.appendingPathComponent("users.yaml").path)
    ).run()
    #expect((again.rows, again.invalid) == (1, 1))
    #expect(again.errors.first?.message.contains("where it reads «Пётр»") == true)
}

@Test func aUTF8FileReadAsWindows1251IsWarnedAbout() throws {
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var options = DryRunOptions()
    options.readerOptions.encoding = .windows1251
    // Garbled column names match nothing: the error says why.
    let error = try #require(throws: MappingError.self) { try dryRun(usersFile(lines), in: folder, options: options) }
    #expect(error.message.contains("the column names look like UTF-8 text read as Windows-1251 («"))
    #expect(error.message.contains("» reads «Имя»): check the file's encoding"))

    var ascii = lines
    ascii[0] = "Email;Name;City"
    try mappingYAML.replacingOccurrences(of: "Имя", with: "Name").replacingOccurrences(of: "Город", with: "City")
        .write(toFile: folder.appendingPathComponent("ascii.yaml").path, atomically: true, encoding: .utf8)
    let file = folder.appendingPathComponent("ascii.csv").path
    try Data(usersFile(ascii)).write(to: URL(fileURLWithPath: file))
    let report = try DryRun(
        file: file, mapping: try Mapping.load(path: folder.appendingPathComponent("ascii.yaml").path), options: options
    ).run()
    #expect(report.valid == 4)
    let warning = try #require(report.warnings.first { $0.contains("look like") })
    #expect(
        warning.hasPrefix(
            "4 row(s) hold values that look like UTF-8 text read as Windows-1251, first at line 2, column 2 «Name»"))
    #expect(warning.contains("reads «Анна»"))
    #expect(warning.contains("--encoding utf-8"))
}

@Test func garbledValuesInAUTF8FileAreWarnedAboutEachKindOnce() throws {
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let garbled = [
        "Email;Имя;Город", "anna@mail.ru;РђРЅРЅР°;Москва", "petr@mail.ru;Пётр;ÐšÐ°Ð·Ð°Ð½ÑŒ",
        "olga@mail.ru;Îëüãà;Тверь", "ivan@mail.ru;Иван;Со\u{FFFD}\u{FFFD}", "yulia@mail.ru;РЎРµСЂРіРµР№;Сочи",
    ]
    let report = try dryRun(usersFile(garbled), in: folder)
    #expect(report.input.encoding == .utf8)
    #expect(report.valid == 5)
    let warnings = report.warnings.filter { $0.contains("look like") }
    #expect(warnings.count == 4)
    #expect(
        warnings[0].hasPrefix(
            "2 row(s) hold values that look like UTF-8 text read as Windows-1251, first at "
                + "line 2, column 2 «Имя»: «РђРЅРЅР°» reads «Анна»; the file itself holds the garbled text"))
    #expect(warnings[1].contains("UTF-8 text read as Latin-1") && warnings[1].contains("reads «Казань»"))
    #expect(warnings[2].contains("Windows-1251 text read as Latin-1") && warnings[2].contains("reads «Ольга»"))
    #expect(warnings[3].contains("line 5, column 3 «Город»") && warnings[3].contains("cannot be recovered"))
}

/// A Windows-1251 file with one name pasted in as UTF-8: the dry run's byte path looks at a transcoded row
/// only when it holds «Р»–«У» followed by a byte a UTF-8 lead needs, and must still find that name; the
/// ordinary «Сергей», «Тверь», «Уфа» and «Ростов» around it are no sign.
@Test func aUTF8NameInAWindows1251FileIsWarnedAbout() throws {
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let lines = [
        "Email;Имя;Город", "sergey@mail.ru;Сергей;Тверь", "ulyana@mail.ru;Ульяна;Уфа", "yulia@mail.ru;Юлия;Ростов",
        "roman@mail.ru;Роман;Сочи", "taras@mail.ru;Тарас;Тула",
    ]
    let report = try dryRun(usersFile(lines, windows1251: [1, 2, 3, 5, 6]), in: folder)
    #expect(report.input.encoding == .windows1251)
    #expect(report.valid == 5)
    let warnings = report.warnings.filter { $0.contains("look like") }
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("1 row(s) hold values that look like UTF-8 text read as Windows-1251") == true)
    #expect(warnings.first?.contains("line 4, column 2 «Имя»") == true)
    #expect(warnings.first?.contains("reads «Юлия»") == true)
}
