import Foundation
import Testing

@testable import CSVReader

/// Files whose every byte boundary matters: multi-byte characters, CRLF, quotes, a BOM, broken quotes that
/// make the reader seek back, blank lines.
private let tricky: [(name: String, bytes: [UInt8], options: CSVReaderOptions)] = [
    ("fixture excel-ru", fixtureBytes("excel-ru.csv"), .init()),
    ("fixture windows1251-tab", fixtureBytes("windows1251-tab.csv"), .init()),
    ("fixture cr-pipe", fixtureBytes("cr-pipe.csv"), .init()),
    ("fixture broken", fixtureBytes("broken.csv"), .init(encoding: .utf8)),
    ("crlf quotes", Array("a;b\r\n\"x\r\ny\";\"q\"\"q\"\r\n\r\n\"\";z\r\n".utf8), .init()),
    ("cr pending at chunk end", Array("h\r\r\n1\r\n\r2\r".utf8), .init()),
    ("capped field", Array("a;b\n1;\(String(repeating: "Ж", count: 40))\n2;ok\n".utf8), .init(maxFieldBytes: 16)),
    ("open quote to the end", Array("a,b\n1,\"open\n2,x\n3,y\n".utf8), .init()),
    // Found by the reader's fuzz target: a stray quote after the field already passed the cap kept more of
    // the line, and said so differently, when the line came in one chunk.
    (
        "stray quote past the cap",
        Array("a|b\n\(String(repeating: "x;", count: 20))\"q\"\"r\"|tail\n2|ok\n".utf8),
        .init(delimiter: UInt8(ascii: "|"), maxFieldBytes: 16)
    ),
    // Found by the reader's fuzz target: a field exactly at the cap followed by spaces libcsv trims was
    // reported cut when a chunk boundary fell among the spaces.
    (
        "field at the cap, then spaces", Array("a;b\n\(String(repeating: "x", count: 16))   ;y\n".utf8),
        .init(maxFieldBytes: 16)
    ),
]

private func fixtureBytes(_ name: String) -> [UInt8] {
    (try? TemporaryFile.contents(of: Fixture.path(name))) ?? []
}

extension TemporaryFile {
    static func contents(of path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

@Test(arguments: tricky.indices)
func tinyChunksGiveTheSameResultAsOneBigChunk(index: Int) throws {
    let (name, bytes, options) = tricky[index]
    #expect(!bytes.isEmpty, "\(name) has content")
    var whole = options
    whole.chunkSize = 1 << 20
    let expected = try readAll(bytes: bytes, options: whole)
    for chunkSize in 1...7 {
        var small = options
        small.chunkSize = chunkSize
        let result = try readAll(bytes: bytes, options: small)
        #expect(result.header == expected.header, "\(name), chunk \(chunkSize)")
        #expect(result.records == expected.records, "\(name), chunk \(chunkSize)")
        #expect(result.fileProblems == expected.fileProblems, "\(name), chunk \(chunkSize)")
        #expect(result.blankLines == expected.blankLines, "\(name), chunk \(chunkSize)")
        #expect(result.hasBOM == expected.hasBOM && result.delimiter == expected.delimiter)
    }
}

@Test func crPendingAtChunkEndKeepsLineNumbers() throws {
    let result = try readAll(bytes: Array("h\r\r\n1\r\n\r2\r".utf8), options: .init(chunkSize: 2))
    #expect(result.rows == [["1"], ["2"]])
    #expect(result.lines == [3, 5])
}
