// libFuzzer target for the CSV reader (scripts/fuzz.sh reader). The first byte of an input picks the reader
// settings, the rest is the file. Each input is read twice, with a chunk size of its own and with the default
// 64 KiB, and must give the same records and problems: a chunk boundary anywhere changes nothing. Checked on
// every input besides that: rows numbered 1, 2, 3…; each record starts on a later line than the one before,
// and no line past the file's end; no field longer than the limit; at most one record or blank line per line.
// The chunked reading goes through `nextRaw` (fields as bytes), so the two ways of reading are compared too,
// and a third reading goes through `readBatch`, as the dry run reads (rows as UTF-8 bytes in `RowBatch`es).
import FuzzSupport

@testable import CSVReader

private let delimiters: [UInt8?] = [nil, UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
private let encodings: [CSVEncoding?] = [nil, .utf8, .windows1251]
private let file = FuzzFile(name: "reader.csv")
/// Odd sizes, so boundaries fall inside CRLF pairs, quotes and UTF-8 sequences; 1 byte costs a read a byte.
private let chunkSizes = [1, 2, 3, 5, 17, 64, 255, 4093]

/// What one read produced, for the comparison.
private struct Reading: Equatable {
    var header: [String] = []
    var records: [CSVRecord] = []
    var fileProblems: [CSVProblem] = []
    var blankLines = 0
    var error: String?
}

/// The next record through `nextRaw`, turned back into the record `next()` gives.
private func nextThroughRaw(_ reader: CSVFileReader) throws(CSVReadError) -> CSVRecord? {
    try reader.nextRaw { raw in
        if let decoded = raw.decoded { return decoded }
        let fields = (0..<raw.count).map { index in
            raw.isUTF8 ? String(decoding: raw[index], as: UTF8.self) : Windows1251.decode(raw[index])
        }
        return CSVRecord(row: raw.row, line: raw.line, fields: fields, problems: raw.problems)
    }
}

/// The reader on the input, with its header noted in `reading`; nil (and the error noted) when it cannot open.
private func open(_ options: CSVReaderOptions, into reading: inout Reading) -> CSVFileReader? {
    do {
        let reader = try CSVFileReader(path: file.path, options: options)
        reading.header = reader.header
        return reader
    } catch {
        reading.error = error.description
        return nil
    }
}

private func read(_ options: CSVReaderOptions, lines: Int, raw: Bool = false) -> Reading {
    var reading = Reading()
    guard let reader = open(options, into: &reading) else { return reading }
    var previousLine = reader.headerLine
    do {
        while let record = try raw ? nextThroughRaw(reader) : reader.next() {
            FuzzCheck.that(record.row == reading.records.count + 1, "row \(record.row) out of sequence")
            FuzzCheck.that(record.line > previousLine, "record line \(record.line) after line \(previousLine)")
            FuzzCheck.that(record.line <= lines, "record line \(record.line) past the file's \(lines) lines")
            for field in record.fields {
                FuzzCheck.that(field.utf8.count <= 3 * options.maxFieldBytes, "field longer than the limit")
            }
            previousLine = record.line
            reading.records.append(record)
        }
    } catch {
        reading.error = error.description
    }
    reading.fileProblems = reader.fileProblems
    reading.blankLines = reader.blankLineCount
    FuzzCheck.that(reading.records.count + reading.blankLines <= lines, "more records and blank lines than lines")
    return reading
}

/// The records as the dry run's workers get them: `RowBatch`es of at most 7 rows or about 300 bytes, so
/// batches end in odd places, each row's bytes turned back into its record. The mojibake first sight is
/// checked on each row as well: a row it passes holds no field `Mojibake.suspect` would flag.
private func readInBatches(_ options: CSVReaderOptions) -> Reading {
    var reading = Reading()
    guard let reader = open(options, into: &reading) else { return reading }
    var batch = RowBatch()
    while true {
        batch.removeAll()
        var ended = true
        do {
            ended = try reader.readBatch(into: &batch, rows: 7, bytes: 300, lastRow: .max)
        } catch {
            reading.error = error.description
        }
        // Rows read before an error stay in the batch, as `next()` returned them before throwing.
        for index in 0..<batch.count {
            reading.records.append(
                batch.withRow(index) { raw in
                    let record = raw.record
                    if raw.decoded == nil && !Mojibake.mayBeSuspect(raw) {
                        for field in record.fields {
                            FuzzCheck.that(Mojibake.suspect(field) == nil, "row check passed a garbled «\(field)»")
                        }
                    }
                    return record
                })
        }
        if ended { break }
    }
    reading.fileProblems = reader.fileProblems
    reading.blankLines = reader.blankLineCount
    return reading
}

/// The first thing two readings disagree on, for the crash message.
private func difference(_ a: Reading, _ b: Reading) -> String {
    if a.error != b.error { return "error \(a.error ?? "none") / \(b.error ?? "none")" }
    if a.header != b.header { return "header \(a.header) / \(b.header)" }
    for (x, y) in zip(a.records, b.records) where x != y { return "record \(x) / \(y)" }
    if a.records.count != b.records.count { return "\(a.records.count) / \(b.records.count) records" }
    if a.fileProblems != b.fileProblems { return "file problems \(a.fileProblems) / \(b.fileProblems)" }
    return "blank lines \(a.blankLines) / \(b.blankLines)"
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let settings = data[0]
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    file.write(bytes)
    // Physical lines as the reader counts them (LF, CR, CRLF), at least one.
    var lines = 1
    var previous: UInt8 = 0
    for byte in bytes {
        if byte == 0x0D || (byte == 0x0A && previous != 0x0D) { lines += 1 }
        previous = byte
    }
    var options = CSVReaderOptions(
        delimiter: delimiters[Int(settings % 5)], encoding: encodings[Int(settings / 5 % 3)],
        hasHeader: settings & 0x80 == 0, maxFieldBytes: 256)
    let whole = read(options, lines: lines)
    options.chunkSize = chunkSizes[Int(settings / 15 % 8)]
    let chunked = read(options, lines: lines, raw: true)
    FuzzCheck.that(whole == chunked, "chunk size \(options.chunkSize) reads differently: \(difference(whole, chunked))")
    options.chunkSize = CSVReaderOptions().chunkSize
    let batched = readInBatches(options)
    FuzzCheck.that(whole == batched, "batches read differently: \(difference(whole, batched))")
    return 0
}

@main struct FuzzReaderMain {
    static func main() { FuzzMain.run(fuzzReader) }
}
