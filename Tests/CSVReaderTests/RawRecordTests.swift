import Foundation
import Testing

@testable import CSVReader

/// `nextRaw` reads the same rows with the same problems as `next()`, and hands out the bytes the strings
/// are made of.
struct RawRecordTests {
    struct Input: CustomStringConvertible {
        var name: String
        var bytes: [UInt8]
        var options = CSVReaderOptions()
        var description: String { name }
    }

    static var inputs: [Input] {
        var list: [Input] = []
        for name in ["broken.csv", "cr-pipe.csv", "excel-ru.csv", "windows1251-tab.csv"] {
            list.append(
                Input(name: name, bytes: Array(FileManager.default.contents(atPath: Fixture.path(name)) ?? Data())))
        }
        for name in ["users.csv", "deals.csv"] {
            let path = Fixture.samples.appendingPathComponent(name).path
            list.append(Input(name: name, bytes: Array(FileManager.default.contents(atPath: path) ?? Data())))
        }
        let text = "a;b;c\n1;2;3\n\"x\ny\";Ж;\n4;5\n6;7;8;9\n\n  \nq\"r;s;t\n"
        list.append(Input(name: "quotes, ragged, blank", bytes: Array(text.utf8)))
        list.append(Input(name: "NUL", bytes: Array("a;b\n1;2\u{0}3\n4;5\n".utf8)))
        list.append(Input(name: "bad UTF-8", bytes: Array("a;b\n1;".utf8) + [0xC3, 0x28] + Array("\n4;Ёж\n".utf8)))
        var small = CSVReaderOptions()
        small.maxFieldBytes = 8
        small.chunkSize = 5
        list.append(Input(name: "cut fields", bytes: Array("a;b\n1;Длинное значение\n2;ok\n".utf8), options: small))
        var noHeader = CSVReaderOptions()
        noHeader.hasHeader = false
        list.append(Input(name: "no header", bytes: Array("1;Иван\n2;Пётр\n3\n".utf8), options: noHeader))
        var cp1251 = CSVReaderOptions()
        cp1251.encoding = .windows1251
        list.append(Input(name: "Windows-1251", bytes: "имя;город\nИван;Омск\n".windows1251, options: cp1251))
        return list
    }

    @Test(arguments: inputs)
    func rawRowsAreTheRowsNextReads(_ input: Input) throws {
        #expect(!input.bytes.isEmpty, "\(input): the fixture is missing")
        let file = try TemporaryFile(bytes: input.bytes)
        let expected = try readAll(path: file.path, options: input.options)
        let reader = try CSVFileReader(path: file.path, options: input.options)
        var index = 0
        while let seen = try reader.nextRaw({ raw -> Bool in
            guard index < expected.records.count else { return false }
            let record = expected.records[index]
            #expect(raw.row == record.row && raw.line == record.line, "\(input) row \(record.row)")
            #expect(raw.problems == record.problems, "\(input) row \(record.row)")
            if record.problems.isEmpty {
                #expect(raw.decoded == nil)
                #expect(raw.count == record.fields.count)
                for field in 0..<min(raw.count, record.fields.count) {
                    let text =
                        raw.isUTF8 ? String(decoding: raw[field], as: UTF8.self) : Windows1251.decode(raw[field])
                    #expect(text == record.fields[field], "\(input) row \(record.row) field \(field)")
                }
                #expect(raw.isUTF8 == (reader.encoding == .utf8))
            } else {
                #expect(raw.decoded == record)
                #expect(!raw.isUTF8)
            }
            return true
        }) {
            #expect(seen)
            index += 1
        }
        #expect(index == expected.records.count, "\(input)")
        #expect(try reader.nextRaw { _ in true } == nil, "stays at the end")
        #expect(reader.fileProblems == expected.fileProblems)
        #expect(reader.blankLineCount == expected.blankLines)
        #expect(reader.rowCount == expected.records.count)
    }
}
