import Foundation
import Testing

@testable import GetCourseSandbox

/// An export's answer is written to a file and sent from there: the same bytes the JSON writer would make,
/// and no file left once the export is forgotten. 40,000 rows make about 1.6 MB, past the 1 MiB flush.
@Suite struct ExportSpoolTests {
    @Test func theFileHoldsTheAnswerAndGoesWithTheExport() throws {
        let fields = ["id", "Email", "Имя"]
        let rows = (1...40_000).map { ["\($0)", "u\($0)@example.ru", "Имя \"\($0)\"\n"] }
        var spool = ExportSpool.write(fields: fields) { row in rows.forEach(row) }
        let path = try #require(spool?.path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let expected = JSONWriter.bytes(
            APIAnswer.exportInfo(
                .object([
                    ("fields", .array(fields.map(JSONValue.string))),
                    ("items", .array(rows.map { .array($0.map(JSONValue.string)) })),
                ])))
        #expect(Array(bytes) == expected)
        #expect(spool?.size == expected.count)
        spool = nil
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func anEmptyExportIsAnEmptyList() throws {
        let spool = try #require(ExportSpool.write(fields: ["id"]) { _ in })
        let text = try String(contentsOfFile: spool.path, encoding: .utf8)
        #expect(text == #"{"success":true,"info":{"fields":["id"],"items":[]}}"#)
    }
}
