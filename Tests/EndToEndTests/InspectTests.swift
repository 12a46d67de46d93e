import Foundation
import Testing

// End-to-end checks of `gcimport inspect`: the built binary, its output and its exit status.

private func inspectJSON(_ arguments: [String]) throws -> (status: Int32, object: [String: Any]) {
    let result = try BuiltBinary.run(["inspect", "--json"] + arguments)
    let data = Data(result.stdout.utf8)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(result.stdout)")
    return (result.status, object)
}

/// Writes a scratch CSV file for one test.
private func scratchFile(_ bytes: [UInt8], name: String = "input.csv") throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

@Test func inspectCleanUsersSampleExitsZero() throws {
    let result = try BuiltBinary.run(["inspect", "samples/users.csv"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("utf-8 (detected), with BOM"))
    #expect(result.stdout.contains("delimiter  ; (detected)"))
    #expect(result.stdout.contains("rows       300"))
    #expect(result.stdout.contains("1  Email"))
    #expect(result.stdout.contains("9  utm_source"))
    #expect(result.stdout.contains("problems   none"))
}

@Test func inspectJSONHasTheDocumentedShape() throws {
    let (status, object) = try inspectJSON(["samples/users.csv"])
    #expect(status == 0)
    #expect(object["delimiter"] as? String == ";")
    #expect(object["encoding"] as? String == "utf-8")
    #expect(object["bom"] as? Bool == true)
    #expect((object["columns"] as? [String])?.first == "Email")
    #expect((object["columns"] as? [String])?.count == 9)
    #expect(object["rows"] as? Int == 300)
    #expect((object["problems"] as? [Any])?.isEmpty == true)
}

@Test func inspectDetectsWindows1251Deals() throws {
    let (status, object) = try inspectJSON(["samples/deals.csv"])
    #expect(status == 0)
    #expect(object["encoding"] as? String == "windows-1251")
    #expect(object["encoding_detected"] as? Bool == true)
    #expect(object["bom"] as? Bool == false)
    #expect((object["columns"] as? [String])?[7] == "Стоимость, RUB")
    #expect(object["rows"] as? Int == 300)
}

@Test func inspectDirtySampleExitsOneAndNamesTheLine() throws {
    let (status, object) = try inspectJSON(["samples/users-dirty.csv"])
    #expect(status == 1)
    let problems = try #require(object["problems"] as? [[String: Any]])
    #expect(problems.count == 1)
    #expect(problems.first?["line"] as? Int == 31)
    #expect(problems.first?["kind"] as? String == "ragged_row")
    #expect((problems.first?["message"] as? String)?.isEmpty == false)
    let text = try BuiltBinary.run(["inspect", "samples/users-dirty.csv"])
    #expect(text.status == 1)
    #expect(text.stdout.contains("line 31, column 7 (Группы)  ragged_row: 6 fields, the header has 9"))
}

@Test func inspectCapsTheTextListButCountsEveryProblem() throws {
    var text = "a;b\n"
    for row in 1...30 { text += "\(row)\n" }
    let file = try scratchFile(Array(text.utf8))
    let result = try BuiltBinary.run(["inspect", file.path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("problems   30 (ragged_row 30)"))
    #expect(result.stdout.contains("… and 10 more"))
    let (_, object) = try inspectJSON([file.path])
    #expect((object["problems"] as? [Any])?.count == 30)
    #expect(object["problem_count"] as? Int == 30)
}

@Test(arguments: ["tab", "\\t", "\t"])
func inspectAcceptsTabSpelledAnyWay(spelling: String) throws {
    let file = try scratchFile(Array("a;b\tc\n1;2\t3\n".utf8))
    let (status, object) = try inspectJSON([file.path, "--delimiter", spelling])
    #expect(status == 0)
    #expect(object["delimiter"] as? String == "\t")
    #expect(object["delimiter_detected"] as? Bool == false)
    #expect(object["columns"] as? [String] == ["a;b", "c"])
}

@Test func inspectHonoursEncodingAndNoHeader() throws {
    let file = try scratchFile(Array("1;Иван\n2;Пётр\n".utf8))
    let (status, object) = try inspectJSON([file.path, "--no-header", "--encoding", "utf-8"])
    #expect(status == 0)
    #expect(object["columns"] as? [String] == ["1", "2"])
    #expect(object["rows"] as? Int == 2)
    #expect(object["encoding_detected"] as? Bool == false)
}

@Test func inspectReportsBrokenQuotesWithLines() throws {
    let file = try scratchFile(Array("a,b\n1,x\"y\n2,\"open\n3,z\n".utf8))
    let (status, object) = try inspectJSON([file.path])
    #expect(status == 1)
    let problems = try #require(object["problems"] as? [[String: Any]])
    #expect(problems.map { $0["line"] as? Int } == [2, 3])
    #expect(problems.map { $0["kind"] as? String } == ["stray_quote", "unterminated_quote"])
    #expect(object["rows"] as? Int == 3)
}

@Test func inspectEmptyFileIsAProblem() throws {
    let file = try scratchFile([])
    let result = try BuiltBinary.run(["inspect", file.path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("empty_file"))
}

@Test func inspectUnreadableFilesExit65() throws {
    let missing = try BuiltBinary.run(["inspect", "/nonexistent/users.csv"])
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("/nonexistent/users.csv"))
    #expect(missing.stderr.contains("no such file"))
    let directory = try BuiltBinary.run(["inspect", "samples"])
    #expect(directory.status == 65)
    #expect(directory.stderr.contains("directory"))
}

@Test func inspectUsageErrorsExit64() throws {
    #expect(try BuiltBinary.run(["inspect"]).status == 64)
    #expect(try BuiltBinary.run(["inspect", "samples/users.csv", "--delimiter", "x"]).status == 64)
    #expect(try BuiltBinary.run(["inspect", "samples/users.csv", "--encoding", "koi8-r"]).status == 64)
    #expect(try BuiltBinary.run(["inspect", "samples/users.csv", "--max-field-size", "0"]).status == 64)
}

@Test func inspectHelpExplainsTheCommand() throws {
    let result = try BuiltBinary.run(["inspect", "--help"])
    #expect(result.status == 0)
    for phrase in ["--delimiter", "--encoding", "--json", "--no-header", "Exit status", "windows-1251"] {
        #expect(result.stdout.contains(phrase), "\(phrase)")
    }
}

@Test func aGetCourseUserExportWithBlankHeadersExitsZero() throws {
    let file = "Tests/GCImportKitTests/Fixtures/exports/getcourse-users-1251.tsv"
    let text = try BuiltBinary.run(["inspect", file])
    #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
    #expect(text.stdout.contains("windows-1251 (detected)"))
    #expect(text.stdout.contains("delimiter  TAB (detected)"))
    #expect(text.stdout.contains("notices    2"))
    #expect(text.stdout.contains("line 1, column 22  the header has no name for this column"))
    #expect(text.stdout.contains("problems   none"))
    let (status, object) = try inspectJSON([file])
    #expect(status == 0)
    #expect(object["problem_count"] as? Int == 0)
    #expect(object["notice_count"] as? Int == 2)
    let notices = try #require(object["notices"] as? [[String: Any]])
    #expect(notices.map { $0["kind"] as? String } == ["blank_header", "blank_header"])
}

@Test func inspectReadsAUTF8FileWithOneWindows1251RowAsUTF8AndNamesTheRow() throws {
    var bytes = Array("Email;Имя\nanna@mail.ru;Анна\n".utf8)
    bytes += Array("petr@mail.ru;".utf8) + [0xCF, 0xB8, 0xF2, 0xF0, 0x0A]  // «Пётр» in Windows-1251
    bytes += Array("olga@mail.ru;Ольга\n".utf8)
    let file = try scratchFile(bytes)
    defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }

    let (status, object) = try inspectJSON([file.path])
    #expect(status == 1)
    #expect(object["encoding"] as? String == "utf-8")
    #expect(object["encoding_utf8_lines"] as? Int == 3)
    #expect(object["encoding_other_lines"] as? Int == 1)
    let problem = try #require((object["problems"] as? [[String: Any]])?.first)
    #expect(problem["line"] as? Int == 3)
    #expect((problem["message"] as? String)?.contains("where it reads «Пётр»") == true)

    let text = try BuiltBinary.run(["inspect", file.path])
    #expect(text.stdout.contains("3 line(s) with non-ASCII text are UTF-8, 1 are not"))
}
