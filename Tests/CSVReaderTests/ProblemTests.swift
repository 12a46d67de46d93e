import Foundation
import Testing

@testable import CSVReader

// MARK: Header

@Test func headerNamesAreTrimmedAndBOMStripped() throws {
    let result = try readAll(bytes: [0xEF, 0xBB, 0xBF] + Array(" Email ;\tИмя\u{00A0};\"  Город \"\n1;2;3\n".utf8))
    #expect(result.header == ["Email", "Имя", "Город"])
    #expect(result.headerLine == 1)
}

@Test func blankAndDuplicateHeaderNames() throws {
    let result = try readAll("Email;Имя;;email; \n1;2;3;4;5\n")
    let problems = result.fileProblems
    #expect(problems.map(\.kind) == [.blankHeader, .duplicateHeader, .blankHeader])
    #expect(problems.map(\.column) == [3, 4, 5])
    #expect(problems.allSatisfy { $0.line == 1 && $0.row == nil })
    #expect(problems[1].message.contains("column 1"))
    #expect(result.records[0].problems.isEmpty)
}

@Test func noHeaderNamesColumnsByIndex() throws {
    let result = try readAll("a@b.ru;Иван;Москва\nc@d.ru;Пётр;Казань\n", options: .init(hasHeader: false))
    #expect(result.header == ["1", "2", "3"])
    #expect(result.headerLine == 0)
    #expect(result.rows == [["a@b.ru", "Иван", "Москва"], ["c@d.ru", "Пётр", "Казань"]])
    #expect(result.lines == [1, 2])
}

// MARK: Ragged rows

@Test func raggedRowsAreReportedNotPaddedOrCut() throws {
    let result = try readAll("a;b;c\n1;2;3\n1;2\n1;2;3;4\n1;2;3\n")
    #expect(result.rows == [["1", "2", "3"], ["1", "2"], ["1", "2", "3", "4"], ["1", "2", "3"]])
    #expect(result.problemPlaces == [.init(line: 3, kind: .raggedRow), .init(line: 4, kind: .raggedRow)])
    let short = try #require(result.records[1].problems.first)
    #expect(short.column == 3)
    #expect(short.row == 2)
    #expect(short.message.hasPrefix("2 fields, the header has 3"))
    #expect(result.records[2].problems.first?.column == 4)
}

// MARK: Bytes that are not text

@Test func nulByteIsReportedWithItsLineAndColumn() throws {
    let result = try readAll(bytes: Array("a,b\n1,x\u{0}y\n2,\"multi\nli\u{0}ne\"\n3,ok\n".utf8))
    #expect(result.rows[0] == ["1", "x\u{0}y"])
    #expect(result.problemPlaces == [.init(line: 2, kind: .nulByte), .init(line: 4, kind: .nulByte)])
    #expect(result.records[1].problems.first?.column == 2)
    #expect(result.records[1].problems.first?.message.hasSuffix("(value: «multi\\nli\\0ne»)") == true)
    #expect(result.records[2].problems.isEmpty)
}

@Test func invalidUTF8IsReportedOnTheLineOfTheBadByte() throws {
    let bytes = Array("a;b\n1;ok\n2;\"first\nsecond ".utf8) + [0xFF] + Array("\"\n3;fine\n".utf8)
    let result = try readAll(bytes: bytes, options: .init(encoding: .utf8))
    #expect(result.problemPlaces == [.init(line: 4, kind: .invalidUTF8)])
    #expect(result.records[1].line == 3)
    #expect(result.records[1].fields[1] == "first\nsecond \u{FFFD}")
    #expect(result.records[1].problems.first?.message.contains("0xFF") == true)
}

// MARK: Field size cap

@Test func oversizeFieldIsCutAndReported() throws {
    let big = String(repeating: "x", count: 100)
    let result = try readAll("a;b\n1;\(big)\n2;\"\(big)\"\n3;ok\n", options: .init(maxFieldBytes: 10))
    #expect(result.rows == [["1", "xxxxxxxxxx"], ["2", "xxxxxxxxxx"], ["3", "ok"]])
    #expect(result.problemPlaces == [.init(line: 2, kind: .fieldTooLarge), .init(line: 3, kind: .fieldTooLarge)])
}

@Test(arguments: [1, 3, 64 << 10])
func oversizeFieldIsCutOnACharacterBoundary(chunkSize: Int) throws {
    let result = try readAll("a\nЖЖЖЖЖЖ\n", options: .init(maxFieldBytes: 5, chunkSize: chunkSize))
    #expect(result.rows == [["ЖЖ"]])
    #expect(result.records[0].problems.map(\.kind) == [.fieldTooLarge])
}

@Test func runawayQuoteStaysWithinTheCap() throws {
    // A quote never closed in a long file: the open field is capped, and every later line is still a row.
    var text = "a,b\n1,\"open\n"
    for row in 2...2000 { text += "\(row),value number \(row)\n" }
    let result = try readAll(text, options: .init(maxFieldBytes: 1000, chunkSize: 512))
    #expect(result.records.count == 2000)
    #expect(result.records.last?.fields == ["2000", "value number 2000"])
    #expect(result.problemPlaces.first == .init(line: 2, kind: .unterminatedQuote))
}

// MARK: Empty and unreadable files

@Test(arguments: [[], [0xEF, 0xBB, 0xBF], Array("\n\n   \r\n".utf8)] as [[UInt8]])
func emptyFileIsAProblem(bytes: [UInt8]) throws {
    let result = try readAll(bytes: bytes)
    #expect(result.records.isEmpty)
    #expect(result.header.isEmpty)
    #expect(result.fileProblems.map(\.kind) == [.emptyFile])
}

@Test func headerOnlyHasNoRowsAndNoProblems() throws {
    let result = try readAll("Email;Имя\n")
    #expect(result.header == ["Email", "Имя"])
    #expect(result.records.isEmpty)
    #expect(result.problemPlaces.isEmpty)
}

@Test func missingFileAndDirectoryThrow() throws {
    let missing = #expect(throws: CSVReadError.self) { try CSVFileReader(path: "/nonexistent/users.csv") }
    #expect(missing?.message.contains("no such file") == true)
    #expect(missing?.path == "/nonexistent/users.csv")
    let directory = #expect(throws: CSVReadError.self) { try CSVFileReader(path: Fixture.directory.path) }
    #expect(directory?.message.contains("directory") == true)
}

// MARK: One pass lists every problem

@Test func brokenFixtureListsEveryProblem() throws {
    let result = try readAll(path: Fixture.path("broken.csv"), options: .init(encoding: .utf8))
    #expect(result.header == ["id", "name", "", "name"])
    #expect(result.rows.map { $0.first ?? "" } == (1...11).map(String.init))
    #expect(result.lines == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13])
    #expect(result.blankLines == 1)
    let expected: [ReadResult.Place] = [
        .init(line: 1, kind: .blankHeader), .init(line: 1, kind: .duplicateHeader),
        .init(line: 3, kind: .raggedRow), .init(line: 4, kind: .raggedRow), .init(line: 5, kind: .strayQuote),
        .init(line: 6, kind: .nulByte), .init(line: 7, kind: .invalidUTF8), .init(line: 9, kind: .unterminatedQuote),
        .init(line: 12, kind: .strayQuote),
    ]
    #expect(result.problemPlaces == expected)
}
