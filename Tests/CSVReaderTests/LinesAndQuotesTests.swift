import Foundation
import Testing

@testable import CSVReader

// MARK: Line ends and line numbers

@Test(arguments: ["\n", "\r\n", "\r"])
func lineEndsGiveTheSameRecordsAndLines(end: String) throws {
    let text = ["id;note", "1;plain", "", "2;\"two\(end)lines\"", "   ", "3;last"].joined(separator: end) + end
    let result = try readAll(text)
    #expect(result.rows == [["1", "plain"], ["2", "two\(end)lines"], ["3", "last"]])
    #expect(result.lines == [2, 4, 7])
    #expect(result.blankLines == 2)
    #expect(result.problemPlaces.isEmpty)
}

@Test func mixedLineEndsCountEachBreakOnce() throws {
    let result = try readAll("h\r\na\nb\rc\r\n\r\nd")
    #expect(result.rows == [["a"], ["b"], ["c"], ["d"]])
    #expect(result.lines == [2, 3, 4, 6])
}

@Test func lastLineWithoutLineEnd() throws {
    let result = try readAll("a,b\n1,2")
    #expect(result.rows == [["1", "2"]])
    #expect(result.lines == [2])
}

@Test func headerAfterBlankLines() throws {
    let result = try readAll("\n\n  \nEmail;Имя\n\na@b.ru;Иван\n")
    #expect(result.headerLine == 4)
    #expect(result.header == ["Email", "Имя"])
    #expect(result.lines == [6])
    #expect(result.blankLines == 4)
}

// MARK: Quoting

@Test func quotedFieldsKeepDelimitersQuotesAndNewlines() throws {
    let result = try readAll("a;b;c\n\"x;y\";\"say \"\"hi\"\"\";\"1\n2\n3\"\nnext;row;here\n")
    #expect(result.rows == [["x;y", "say \"hi\"", "1\n2\n3"], ["next", "row", "here"]])
    #expect(result.lines == [2, 5])
}

@Test func spacesInsideQuotesAreKeptAroundUnquotedTrimmed() throws {
    let result = try readAll("a;b;c;d\n  x  ;\"  y  \"; \"z\" ;\t w\t\n")
    #expect(result.rows == [["x", "  y  ", "z", "w"]])
}

@Test func emptyFieldsAndEmptyQuotedFields() throws {
    let result = try readAll("a,b,c\n,,\n\"\",\"\",\"\"\n")
    #expect(result.rows == [["", "", ""], ["", "", ""]])
}

@Test func strayQuoteInAnUnquotedField() throws {
    let result = try readAll("id;name;city\n1;Ив\"ан;Москва\n2;ok;Казань\n")
    #expect(result.rows == [["1", "Ив\"ан", "Москва"], ["2", "ok", "Казань"]])
    let problem = try #require(result.records[0].problems.first)
    #expect(problem.kind == .strayQuote)
    #expect(problem.line == 2)
    #expect(problem.column == 2)
    #expect(problem.row == 1)
    #expect(problem.message.hasSuffix("(value: «Ив\"ан»)"))
    #expect(result.records[1].problems.isEmpty)
}

@Test func textAfterAClosingQuote() throws {
    let result = try readAll("a,b\n\"closed\"junk,x\n1,2\n")
    #expect(result.rows == [["closed\"junk", "x"], ["1", "2"]])
    #expect(result.problemPlaces == [.init(line: 2, kind: .strayQuote)])
}

@Test func quoteLeftOpenAtTheEndOfTheFile() throws {
    let result = try readAll("a,b\n1,2\n3,\"open\n")
    #expect(result.rows == [["1", "2"], ["3", "open"]])
    #expect(result.problemPlaces == [.init(line: 3, kind: .unterminatedQuote)])
}

@Test func quoteLeftOpenMidFileResyncsOnTheNextLine() throws {
    // The quote on line 3 swallows lines 4-6; the reader keeps line 3 as a broken row and re-reads from 4.
    let result = try readAll("a,b\n1,ok\n2,\"open\n3,x\n4,y\n5,z\n")
    #expect(result.rows == [["1", "ok"], ["2", "open"], ["3", "x"], ["4", "y"], ["5", "z"]])
    #expect(result.lines == [2, 3, 4, 5, 6])
    #expect(result.problemPlaces == [.init(line: 3, kind: .unterminatedQuote)])
    #expect(result.records[1].problems.first?.message.contains("line 4") == true)
}

@Test func openQuoteClosedByALaterStrayQuoteIsBlamedOnItsOwnLine() throws {
    let result = try readAll("a,b\n1,\"open\n2,x\n3,\"y\"z\n4,w\n")
    #expect(result.lines == [2, 3, 4, 5])
    #expect(result.problemPlaces == [.init(line: 2, kind: .unterminatedQuote), .init(line: 4, kind: .strayQuote)])
    #expect(result.rows[1] == ["2", "x"])
    #expect(result.rows[3] == ["4", "w"])
}

@Test func legitimateMultilineFieldIsNotAProblem() throws {
    let result = try readAll("a;b\n1;\"Москва,\nул. Ленина, д. 1\"\n2;x\n")
    #expect(result.rows == [["1", "Москва,\nул. Ленина, д. 1"], ["2", "x"]])
    #expect(result.lines == [2, 4])
    #expect(result.problemPlaces.isEmpty)
}

@Test func pipeInputIsReadAndABrokenQuoteThatCannotBeReReadIsSaidSo() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("input.csv").path
    #expect(mkfifo(path, 0o600) == 0)
    let text = "a,b\n1,\"open\n2,x\n3,\"y\"z\n4,w\n"
    let writer = Thread {
        let handle = FileHandle(forWritingAtPath: path)
        handle?.write(Data(text.utf8))
        try? handle?.close()
    }
    writer.start()
    let result = try readAll(path: path)
    #expect(result.header == ["a", "b"])
    #expect(result.lines == [2, 5])
    #expect(result.rows.last == ["4", "w"])
    let problem = try #require(result.records.first?.problems.first)
    #expect(problem.kind == .unterminatedQuote)
    #expect(problem.line == 2)
    #expect(problem.message.contains("could not be re-read"))
}
