import Foundation
import Testing

@testable import CSVReader

// The encoding is decided line by line: one row pasted from a Windows-1251 file must not turn a UTF-8
// export into mojibake, and a Windows-1251 export must still read as Windows-1251.

private let names = ["Анна", "Пётр", "Сергей", "Ольга", "Юлия", "Фёдор", "Яна", "Эдуард"]

/// A user list with `rows` Cyrillic rows in UTF-8, but for the rows in `windows1251Rows` (0 is the header).
private func mixedFile(rows: Int, windows1251Rows: Set<Int> = [], padding: Int = 0) -> [UInt8] {
    let pad = String(repeating: "x", count: padding)
    return (0...rows).flatMap { row in
        let line = row == 0 ? "Email;Имя;Город\n" : "user\(row)@mail.ru;\(names[row % names.count]);Москва\(pad)\n"
        return windows1251Rows.contains(row) ? line.windows1251 : Array(line.utf8)
    }
}

@Test func oneWindows1251RowInAUTF8FileIsReportedOnItsLine() throws {
    let result = try readAll(bytes: mixedFile(rows: 50, windows1251Rows: [17]))
    #expect(result.encoding == .utf8)
    #expect(result.encodingWasDetected)
    #expect(result.header == ["Email", "Имя", "Город"])
    #expect(result.records[15].fields == ["user16@mail.ru", "Анна", "Москва"])
    #expect(result.problemPlaces == [.init(line: 18, kind: .invalidUTF8), .init(line: 18, kind: .invalidUTF8)])
    let bad = result.records[16]
    #expect(bad.line == 18)
    #expect(bad.problems.map(\.column) == [2, 3])
    let message = try #require(bad.problems.first?.message)
    #expect(message.contains("50 line(s) with non-ASCII text are UTF-8, 1 are not"))
    #expect(message.contains("where it reads «Пётр»"))
    #expect(bad.rawFields == [1: "Пётр".windows1251, 2: "Москва".windows1251])
    #expect(bad.fields[0] == "user17@mail.ru")
}

@Test func aWindows1251FileStillReadsAsWindows1251() throws {
    let result = try readAll(bytes: mixedFile(rows: 50, windows1251Rows: Set(0...51)))
    #expect(result.encoding == .windows1251)
    #expect(result.header == ["Email", "Имя", "Город"])
    #expect(result.rows.allSatisfy { $0[2] == "Москва" })
    #expect(result.problemPlaces.isEmpty)
}

@Test func aWindows1251FileWithAFewUTF8RowsIsWindows1251AndTheRowsShowAsMojibake() throws {
    var lines = Set(0...51)
    lines.remove(20)
    let result = try readAll(bytes: mixedFile(rows: 50, windows1251Rows: lines))
    #expect(result.encoding == .windows1251)
    let garbled = result.records[19].fields[1]
    #expect(garbled != "Юлия")
    #expect(Mojibake.suspect(garbled) == .init(kind: .utf8ReadAsWindows1251, repaired: "Юлия"))
    #expect(Mojibake.suspect(result.records[18].fields[1]) == nil)
}

@Test func evidenceBeyondTheFirstWindowCountsAndABadRowPastTheWindowsIsStillFound() throws {
    // 200 bytes a row: the first 1 MiB window ends inside row ~5,200; the second Windows-1251 row is past every window.
    let bytes = mixedFile(rows: 30_000, windows1251Rows: [6_000, 29_000], padding: 160)
    #expect(bytes.count > 4 << 20)
    let file = try TemporaryFile(bytes: bytes)
    let reader = try CSVFileReader(path: file.path)
    #expect(reader.encoding == .utf8)
    let evidence = try #require(reader.encodingEvidence)
    #expect(evidence.otherLines == 1)
    #expect(evidence.bytes >= 4 << 20)
    var bad: [Int] = []
    while let record = try reader.next() {
        if !record.problems.isEmpty { bad.append(record.row) }
    }
    #expect(bad == [6_000, 29_000])
}

@Test func evidenceIsTheSameWhateverTheWindowsCutLinesAt() {
    let bytes = mixedFile(rows: 40, windows1251Rows: [3, 9, 10], padding: 7) + Array("Ёж\r\nёж\rtail".utf8)
    var whole = CSVEncodingEvidence()
    _ = bytes.withUnsafeBytes { whole.count(lines: $0, isFinal: true) }
    #expect(whole.utf8Lines == 37 + 1 + 2)
    #expect(whole.otherLines == 3)
    // Windows longer than any line: a line longer than the window counts once per window.
    for window in [48, 64, 333, 4096] {
        var chunked = CSVEncodingEvidence()
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + window, bytes.count)
            let used = bytes[offset..<end].withUnsafeBytes { chunked.count(lines: $0, isFinal: end == bytes.count) }
            offset += max(used, 1)
        }
        #expect(chunked.utf8Lines == whole.utf8Lines, "window \(window)")
        #expect(chunked.otherLines == whole.otherLines, "window \(window)")
    }
}

@Test func anASCIIFileIsUTF8AndSaysSo() throws {
    let file = try TemporaryFile(bytes: Array("a;b\n1;2\n".utf8))
    let reader = try CSVFileReader(path: file.path)
    #expect(reader.encoding == .utf8)
    #expect(reader.encodingEvidence?.summary == "the first 8 bytes are ASCII")
    let given = try CSVFileReader(path: file.path, options: .init(encoding: .utf8))
    #expect(given.encodingEvidence == nil)
}

@Test func theWriterHandsBackBytesThatWereNotText() {
    let writer = CSVWriter(delimiter: 0x3B, encoding: .utf8, writesBOM: true)
    let raw = "Пётр; I".windows1251
    let bytes = writer.encodeRecord(["a@b.ru", "P\u{FFFD}tr", "x"], rawFields: [1: raw])
    #expect(bytes == Array("a@b.ru;\"".utf8) + raw + Array("\";x\r\n".utf8))
}
