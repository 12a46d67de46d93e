import Foundation
import Testing

@testable import CSVReader

/// A deterministic stand-in for random: the same 100k rows on every run and platform.
private struct SplitMix {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((mixed ^ (mixed >> 31)) % UInt64(bound))
    }
}

private let values = [
    "ivan@mail.ru", "Иван", "Пётр Сергеевич", "8 (916) 123-45-67", "+7 916 123 45 67", "Москва", "",
    "Курс А, Курс Б", "12 000,00", "с ; точкой с запятой", "say \"hi\"", "две\nстроки", "crlf\r\nвнутри",
    "  с пробелами  ", "01.02.2024", "utm_source", "ёЁ№€", "😀 emoji", "\"", ";", "x",
]

/// Quotes a value when libcsv would otherwise change it: delimiter, quote, line break, outer spaces.
private func encode(_ value: String) -> String {
    let needsQuotes =
        value.contains(";") || value.contains("\"") || value.contains("\n") || value.contains("\r")
        || value.first == " " || value.last == " "
    return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
}

private func lineBreaks(_ text: String) -> Int {
    text.utf8.reduce(into: (count: 0, previous: UInt8(0))) { state, byte in
        if byte == 0x0D || (byte == 0x0A && state.previous != 0x0D) { state.count += 1 }
        state.previous = byte
    }.count
}

@Test func hundredThousandRowsReadBackExactly() throws {
    var random = SplitMix(state: 2024)
    let header = (1...12).map { "Колонка \($0)" }
    var text = "\u{FEFF}" + header.joined(separator: ";") + "\r\n"
    var expected: [[String]] = []
    var expectedLines: [Int] = []
    var line = 2
    for row in 0..<100_000 {
        if row % 997 == 0 {
            text += "\r\n"
            line += 1
        }
        var fields = (0..<12).map { _ in values[random.next(values.count)] }
        fields[0] = "user\(row)@example.ru"
        let encoded = fields.map(encode).joined(separator: ";")
        text += encoded + "\r\n"
        expected.append(fields)
        expectedLines.append(line)
        line += lineBreaks(encoded) + 1
    }
    let file = try TemporaryFile(bytes: Array(text.utf8))
    let reader = try CSVFileReader(path: file.path)
    #expect(reader.header == header)
    #expect(reader.hasBOM && reader.delimiter == 0x3B && reader.encoding == .utf8)
    var index = 0
    var mismatches = 0
    while let record = try reader.next() {
        if index < expected.count, record.fields != expected[index] || record.line != expectedLines[index] {
            mismatches += 1
            if mismatches <= 3 {
                Issue.record("row \(index + 1): \(record.fields) at \(record.line), expected \(expected[index])")
            }
        }
        #expect(record.problems.isEmpty)
        index += 1
    }
    #expect(index == 100_000)
    #expect(mismatches == 0)
    #expect(reader.fileProblems.isEmpty)
    #expect(reader.blankLineCount == 101)
}
