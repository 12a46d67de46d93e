import Foundation
import Testing

@testable import CSVReader

// MARK: Delimiters

@Test(arguments: [(";", UInt8(0x3B)), (",", 0x2C), ("\t", 0x09), ("|", 0x7C)])
func detectsEachDelimiter(delimiter: String, byte: UInt8) throws {
    let text =
        ["Email", "Имя", "Город"].joined(separator: delimiter) + "\n"
        + ["a@b.ru", "Иван", "Москва"].joined(separator: delimiter) + "\n"
    let result = try readAll(text)
    #expect(result.delimiter == byte)
    #expect(result.delimiterWasDetected)
    #expect(result.header == ["Email", "Имя", "Город"])
    #expect(result.rows == [["a@b.ru", "Иван", "Москва"]])
}

@Test func givenDelimiterWinsOverDetection() throws {
    let result = try readAll("a;b,c\n1;2,3\n", options: .init(delimiter: 0x2C))
    #expect(result.delimiter == 0x2C)
    #expect(!result.delimiterWasDetected)
    #expect(result.header == ["a;b", "c"])
    #expect(result.rows == [["1;2", "3"]])
}

@Test func commaInsideAQuotedHeaderDoesNotCount() throws {
    let result = try readAll("Email,\"Стоимость, RUB\",x\n")
    #expect(result.delimiter == 0x2C)
    let semicolon = try readAll("Email;\"Стоимость, RUB\"\na@b.ru;\"12 000,00\"\n")
    #expect(semicolon.delimiter == 0x3B)
    #expect(semicolon.header == ["Email", "Стоимость, RUB"])
}

@Test func tieBetweenSemicolonAndCommaGoesToTheConsistentOne() throws {
    // One ';' and one ',' in the header; the data keeps one ';' per line but its commas vary.
    let result = try readAll("Email;Стоимость, RUB\na@b.ru;12 000,00\nc@d.ru;500\ne@f.ru;1,5,0\n")
    #expect(result.delimiter == 0x3B)
    #expect(result.rows.count == 3)
}

@Test func singleColumnFileFallsBackToComma() throws {
    let result = try readAll("Email\na@b.ru\n")
    #expect(result.delimiter == 0x2C)
    #expect(result.header == ["Email"])
    #expect(result.rows == [["a@b.ru"]])
    #expect(result.problemPlaces.isEmpty)
}

@Test func excelSepLineNamesTheDelimiter() throws {
    let result = try readAll(bytes: [0xEF, 0xBB, 0xBF] + Array("sep=,\r\na;b,c\r\n1;2,3\r\n".utf8))
    #expect(result.delimiter == 0x2C)
    #expect(result.header == ["a;b", "c"])
    #expect(result.headerLine == 2)
    #expect(result.lines == [3])
    let given = try readAll("sep=,\na;b\n", options: .init(delimiter: 0x3B))
    #expect(given.header == ["a", "b"])
}

@Test func rejectsADelimiterThatCannotWork() {
    #expect(throws: CSVReadError.self) { try readAll("a\n", options: .init(delimiter: 0x22)) }
    #expect(throws: CSVReadError.self) { try readAll("a\n", options: .init(delimiter: 0x0A)) }
}

// MARK: Encodings

@Test func utf8WithBOM() throws {
    let result = try readAll(bytes: [0xEF, 0xBB, 0xBF] + Array("Email;Имя\na@b.ru;Иван\n".utf8))
    #expect(result.hasBOM)
    #expect(result.encoding == .utf8)
    #expect(result.encodingWasDetected)
    #expect(result.header == ["Email", "Имя"])
    #expect(result.rows == [["a@b.ru", "Иван"]])
}

@Test func utf8WithoutBOM() throws {
    let result = try readAll("Email;Имя\na@b.ru;Пётр\n")
    #expect(!result.hasBOM)
    #expect(result.encoding == .utf8)
    #expect(result.rows == [["a@b.ru", "Пётр"]])
}

@Test func detectsWindows1251() throws {
    let result = try readAll(bytes: "Имя;Город;Статус\nИван;Москва;Отменён\n".windows1251)
    #expect(result.encoding == .windows1251)
    #expect(result.encodingWasDetected)
    #expect(result.header == ["Имя", "Город", "Статус"])
    #expect(result.rows == [["Иван", "Москва", "Отменён"]])
    #expect(result.problemPlaces.isEmpty)
}

@Test func windows1251GivenExplicitly() throws {
    let result = try readAll(bytes: "a;b\nЁлка;№ 5\n".windows1251, options: .init(encoding: .windows1251))
    #expect(result.encoding == .windows1251)
    #expect(!result.encodingWasDetected)
    #expect(result.rows == [["Ёлка", "№ 5"]])
}

@Test func windows1251TableMatchesFoundation() throws {
    for byte in UInt8(0x80)...0xFF where byte != 0x98 {
        let expected = String(data: Data([byte]), encoding: .windowsCP1251)
        let decoded = [byte].withUnsafeBufferPointer { Windows1251.decode($0) }
        #expect(decoded == expected, "byte 0x\(String(byte, radix: 16))")
    }
    #expect([UInt8(0x98)].withUnsafeBufferPointer { Windows1251.decode($0) } == "\u{98}")
}

/// A whole row transcoded at once gives what its fields give one by one, and the end of each, wherever the
/// fields' 0 terminators fall in the eight-byte words of the ASCII path.
@Test func aRowTranscodesAsItsFieldsDo() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2_000 {
        let fields: [[UInt8]] = (0..<Int.random(in: 1...16, using: &generator)).map { _ in
            (0..<Int.random(in: 0...20, using: &generator)).map { _ -> UInt8 in
                Bool.random(using: &generator)
                    ? UInt8.random(in: 0x20...0x7E, using: &generator)
                    : UInt8.random(in: 0x80...0xFF, using: &generator)
            }
        }
        let row: [UInt8] = fields.flatMap { $0 + [0] }
        var expected: [UInt8] = []
        var expectedEnds: [Int] = []
        for field in fields {
            expected += Array(field.withUnsafeBufferPointer { Windows1251.decode($0) }.utf8)
            expectedEnds.append(expected.count)
            expected.append(0)
        }
        var output = [UInt8](repeating: 0, count: row.count * 3 + 1)
        var ends = [Int](repeating: -1, count: fields.count)
        var sawRToU = false
        let result = row.withUnsafeBufferPointer { row in
            output.withUnsafeMutableBufferPointer { output in
                ends.withUnsafeMutableBufferPointer { ends in
                    Windows1251.transcodeRow(
                        row, into: output.baseAddress!, ends: ends.baseAddress!, maxEnds: fields.count,
                        sawRToU: &sawRToU)
                }
            }
        }
        #expect(result?.ends == fields.count)
        #expect(Array(output.prefix(result?.written ?? 0)) == expected)
        #expect(ends == expectedEnds)
        let signed = row.indices.dropLast().contains { row[$0] & 0xFC == 0xD0 && row[$0 + 1] & 0xC0 == 0x80 }
        #expect(sawRToU == signed)
        // One 0 byte more than there is room for is refused, not written past the end.
        var fewer = [Int](repeating: -1, count: fields.count)
        let refused = row.withUnsafeBufferPointer { row in
            output.withUnsafeMutableBufferPointer { output in
                fewer.withUnsafeMutableBufferPointer { fewer in
                    Windows1251.transcodeRow(
                        row, into: output.baseAddress!, ends: fewer.baseAddress!, maxEnds: fields.count - 1,
                        sawRToU: &sawRToU)
                }
            }
        }
        #expect(refused == nil)
        #expect(fewer.last == -1)
    }
}

@Test func asciiOnlyFileIsUTF8() throws {
    let result = try readAll("a,b\n1,2\n")
    #expect(result.encoding == .utf8)
}

@Test func utf8ForcedOnWindows1251ReportsEveryBadField() throws {
    let result = try readAll(bytes: "id;Имя\n1;Иван\n2;ok\n3;Пётр\n".windows1251, options: .init(encoding: .utf8))
    #expect(result.records.count == 3)
    let bad = result.records.flatMap(\.problems).filter { $0.kind == .invalidUTF8 }
    #expect(bad.map(\.line) == [2, 4])
    #expect(bad.map(\.column) == [2, 2])
    #expect(bad.map(\.row) == [1, 3])
    // The header's bad bytes are a file problem.
    #expect(result.fileProblems.map(\.kind) == [.invalidUTF8])
    #expect(result.records[0].fields[1].contains("\u{FFFD}"))
}

@Test func utf16IsRefusedWithAHint() throws {
    let bytes: [UInt8] = [0xFF, 0xFE] + Array("a;b\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    let file = try TemporaryFile(bytes: bytes)
    let error = #expect(throws: CSVReadError.self) { try CSVFileReader(path: file.path) }
    #expect(error?.message.contains("UTF-16") == true)
}

@Test func utf8ValidationFindsTheBadByte() {
    let cases: [([UInt8], Int?)] = [
        (Array("Привет".utf8), nil), ([0x61, 0xC3], 1), ([0x61, 0xC0, 0x80], 1), ([0xED, 0xA0, 0x80], 0),
        ([0xF0, 0x9F, 0x98, 0x80], nil), ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xFF], 8),
    ]
    for (bytes, expected) in cases {
        #expect(bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) } == expected, "\(bytes)")
    }
}

@Test func utf8CheckAgreesWithTheStandardLibraryOnRandomBytes() {
    var generator = SystemRandomNumberGenerator()
    // Bytes drawn mostly from lead and continuation ranges, so near-valid sequences are common.
    let pool: [UInt8] = [
        0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xD0, 0xD1, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5,
    ]
    for _ in 0..<20_000 {
        let bytes = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
            pool.randomElement(using: &generator) ?? 0
        }
        #expect(bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) } == firstInvalid(bytes))
    }
}

/// The reference: where the longest valid prefix ends, when the whole is not valid.
private func firstInvalid(_ bytes: [UInt8]) -> Int? {
    guard String(validating: bytes, as: UTF8.self) == nil else { return nil }
    return (0..<bytes.count).last { String(validating: bytes[..<$0], as: UTF8.self) != nil } ?? 0
}

@Test func utf8CheckAgreesWithTheStandardLibraryOnCyrillicRuns() {
    var generator = SystemRandomNumberGenerator()
    // Runs of two-byte sequences with an odd byte here and there: the eight-byte path and its fallbacks.
    let pieces: [[UInt8]] = [
        Array("Ж".utf8), Array("я".utf8), Array("é".utf8), [0x61], [0xC1, 0x81], [0xC0, 0x80], [0xD0], [0x80],
        [0xD0, 0xC0], Array("€".utf8),
    ]
    for _ in 0..<20_000 {
        let bytes = (0..<Int.random(in: 0...14, using: &generator)).flatMap { _ in
            Int.random(in: 0..<10, using: &generator) < 7
                ? Array("ЖЁ".utf8) : pieces.randomElement(using: &generator) ?? []
        }
        #expect(bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) } == firstInvalid(bytes))
    }
}
