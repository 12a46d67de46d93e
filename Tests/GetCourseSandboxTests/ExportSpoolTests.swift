import Foundation
import Testing

@testable import GetCourseSandbox

/// An export's answer is written to a file and sent from there: the same bytes the JSON writer would make,
/// and no file left in the temporary folder, even while the export lives (a killed sandbox cannot leave it
/// behind). 40,000 rows make about 1.6 MB, past the 1 MiB flush.
@Suite struct ExportSpoolTests {
    static func spoolFiles() throws -> Set<String> {
        Set(
            try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
                .filter { $0.hasPrefix("gcimport-sandbox-export-") })
    }

    @Test func theFileHoldsTheAnswerAndHasNoName() throws {
        let fields = ["id", "Email", "Имя"]
        let rows = (1...40_000).map { ["\($0)", "u\($0)@example.ru", "Имя \"\($0)\"\n"] }
        let before = try Self.spoolFiles()
        let spool = try #require(ExportSpool.write(fields: fields) { row in rows.forEach(row) })
        #expect(try Self.spoolFiles().subtracting(before).isEmpty)
        let bytes = spool.contents()
        let expected = JSONWriter.bytes(
            APIAnswer.exportInfo(
                .object([
                    ("fields", .array(fields.map(JSONValue.string))),
                    ("items", .array(rows.map { .array($0.map(JSONValue.string)) })),
                ])))
        #expect(bytes == expected)
        #expect(spool.size == expected.count)
    }

    @Test func anEmptyExportIsAnEmptyList() throws {
        let spool = try #require(ExportSpool.write(fields: ["id"]) { _ in })
        #expect(
            String(decoding: spool.contents(), as: UTF8.self)
                == #"{"success":true,"info":{"fields":["id"],"items":[]}}"#)
    }
}

extension ExportSpool {
    /// The whole answer, read back through the descriptor.
    func contents() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = bytes.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(descriptor, base + done, size - done, off_t(done))
            }
            if count > 0 {
                done += count
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        return Array(bytes[..<done])
    }
}
