import Foundation
import Testing

@testable import CSVReader

/// Fixture files beside this source file (no SwiftPM resources: `#filePath` finds them in any checkout).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// The repository's samples/ folder.
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("samples")
}

/// Everything a reader produced for one file, read to the end.
struct ReadResult {
    var header: [String]
    var headerLine: Int
    var delimiter: UInt8
    var delimiterWasDetected: Bool
    var encoding: CSVEncoding
    var encodingWasDetected: Bool
    var hasBOM: Bool
    var records: [CSVRecord]
    var fileProblems: [CSVProblem]
    var blankLines: Int

    var rows: [[String]] { records.map(\.fields) }
    var lines: [Int] { records.map(\.line) }
    /// Every problem, file and row, as (line, kind).
    var problemPlaces: [Place] {
        (fileProblems + records.flatMap(\.problems)).map { Place(line: $0.line, kind: $0.kind) }
            .sorted { ($0.line, $0.kind.rawValue) < ($1.line, $1.kind.rawValue) }
    }

    struct Place: Equatable, CustomStringConvertible {
        var line: Int
        var kind: CSVProblem.Kind
        var description: String { "\(line):\(kind.rawValue)" }
    }
}

/// Reads a whole file.
func readAll(path: String, options: CSVReaderOptions = .init()) throws -> ReadResult {
    let reader = try CSVFileReader(path: path, options: options)
    var records: [CSVRecord] = []
    while let record = try reader.next() { records.append(record) }
    #expect(try reader.next() == nil, "stays at the end")
    #expect(reader.rowCount == records.count)
    #expect(records.map(\.row) == Array(stride(from: 1, through: records.count, by: 1)))
    return ReadResult(
        header: reader.header, headerLine: reader.headerLine, delimiter: reader.delimiter,
        delimiterWasDetected: reader.delimiterWasDetected, encoding: reader.encoding,
        encodingWasDetected: reader.encodingWasDetected, hasBOM: reader.hasBOM, records: records,
        fileProblems: reader.fileProblems, blankLines: reader.blankLineCount)
}

/// Writes `bytes` to a fresh temporary file, reads it, and removes it.
func readAll(bytes: [UInt8], options: CSVReaderOptions = .init()) throws -> ReadResult {
    let file = try TemporaryFile(bytes: bytes)
    return try readAll(path: file.path, options: options)
}

func readAll(_ text: String, options: CSVReaderOptions = .init()) throws -> ReadResult {
    try readAll(bytes: Array(text.utf8), options: options)
}

/// A file in the temporary directory, removed when the value goes away.
final class TemporaryFile {
    let path: String

    init(bytes: [UInt8], name: String = "input.csv") throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("csvreader-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}

extension String {
    /// The Windows-1251 bytes of this text (Foundation knows the code page).
    var windows1251: [UInt8] {
        Array(data(using: .windowsCP1251) ?? Data())
    }
}
