// Consecutive data rows kept as UTF-8 bytes, for the passes that map every row on worker threads: the
// reading thread copies each row's fields in one go instead of making a `String` per cell.

/// Rows read by `CSVFileReader.readBatch`: clean rows as their fields' UTF-8 bytes (a Windows-1251 file's
/// rows transcoded on the way in), rows with problems as the `CSVRecord` `next()` returns for them.
package struct RowBatch: Sendable {
    struct Entry: Sendable {
        var row: Int
        var line: Int
        /// Where the row's bytes and field ends start in `bytes` and `ends`.
        var byteStart: Int
        var endStart: Int
        var fieldCount: Int
        /// See `CSVRawRecord.maySignMojibake`.
        var maySignMojibake: Bool
        /// The row as `next()` returns it, for a row with problems; its bytes are then not kept.
        var decoded: CSVRecord?
    }

    /// Every kept row's fields back to back, each followed by a 0 byte, as the reader's sink lays them out;
    /// never empty (a first byte of padding), so it always has an address.
    private var bytes: [UInt8] = [0]
    /// Per field, the offset of its terminator from the start of its row.
    private var ends: [Int] = []
    private var entries: [Entry] = []

    package init() {}

    /// The number of rows.
    package var count: Int { entries.count }
    package var isEmpty: Bool { entries.isEmpty }
    /// The bytes of text the rows hold, decoded rows included, to bound a batch of huge cells.
    package private(set) var byteCount = 0
    /// The 1-based data-row number of row `index`.
    package func row(at index: Int) -> Int { entries[index].row }

    /// Empties the batch but keeps its memory, so a thread reading batch after batch allocates none: fresh
    /// buffers of this size came from memory the allocator had just handed back to the system, and faulting
    /// them in again cost more than a tenth of a dry run's time.
    package mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(0)
        ends.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        byteCount = 0
    }

    /// Appends a row as `next()` returns it (a row with problems, or one from a source without bytes).
    package mutating func append(_ record: CSVRecord) {
        for field in record.fields { byteCount += field.utf8.count }
        entries.append(
            Entry(
                row: record.row, line: record.line, byteStart: bytes.count, endStart: ends.count, fieldCount: 0,
                maySignMojibake: true, decoded: record))
    }

    /// Appends the row `raw` holds, copying its bytes (transcoded to UTF-8 when they are Windows-1251).
    mutating func append(_ raw: CSVRawRecord) {
        if let decoded = raw.decoded {
            append(decoded)
            return
        }
        let byteStart = bytes.count
        let endStart = ends.count
        var signs = true
        let whole = raw.count == 0 ? 0 : raw.end(of: raw.count - 1) + 1
        if raw.isUTF8 {
            // The sink's layout is the batch's: one copy of the whole row, field ends as they are.
            bytes.append(contentsOf: UnsafeBufferPointer(start: raw.start, count: whole))
            ends.append(contentsOf: raw.fieldEnds)
        } else {
            // The whole row transcoded in scratch memory (its terminators are ASCII, and a clean row has no
            // other 0 byte), then appended in one copy: appending byte by byte, or field by field, paid the
            // arrays' uniqueness check each time.
            let laidOut = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: whole * 3 + 1) { output in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: raw.count) { fieldEnds in
                    guard let base = output.baseAddress, let endsBase = fieldEnds.baseAddress else { return false }
                    var cyrillicRToU = false
                    guard
                        let transcoded = Windows1251.transcodeRow(
                            UnsafeBufferPointer(start: raw.start, count: whole), into: base, ends: endsBase,
                            maxEnds: raw.count, sawRToU: &cyrillicRToU),
                        transcoded.ends == raw.count
                    else { return false }
                    bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: transcoded.written))
                    ends.append(contentsOf: UnsafeBufferPointer(start: endsBase, count: raw.count))
                    // Windows-1251 decodes to no Latin-1 letter and no U+FFFD: «Р»–«У» are the only sign it
                    // can carry, and `Mojibake.mayBeSuspect` looks further only where one starts what could be
                    // a UTF-8 sequence in the file's bytes.
                    signs = cyrillicRToU
                    return true
                }
            }
            guard laidOut else {
                // Not the layout expected (cannot happen for a row without problems): kept as its strings.
                let fields = (0..<raw.count).map { Windows1251.decode(raw[$0]) }
                append(CSVRecord(row: raw.row, line: raw.line, fields: fields))
                return
            }
        }
        byteCount += bytes.count - byteStart
        entries.append(
            Entry(
                row: raw.row, line: raw.line, byteStart: byteStart, endStart: endStart, fieldCount: raw.count,
                maySignMojibake: signs, decoded: nil))
    }

    /// Calls `body` with row `index`: its bytes (`CSVRawRecord.isUTF8` is true), or the decoded record of a
    /// row with problems as `decoded` (its bytes are then empty).
    package func withRow<T>(_ index: Int, _ body: (CSVRawRecord) -> T) -> T {
        let entry = entries[index]
        return bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in
                guard let start = bytes.baseAddress else { preconditionFailure("a batch's bytes are never empty") }
                let fields = UnsafeBufferPointer(rebasing: ends[entry.endStart..<(entry.endStart + entry.fieldCount)])
                return body(
                    CSVRawRecord(
                        row: entry.row, line: entry.line, problems: entry.decoded?.problems ?? [],
                        decoded: entry.decoded, isUTF8: entry.decoded == nil, base: start + entry.byteStart,
                        ends: fields, maySignMojibake: entry.maySignMojibake))
            }
        }
    }

    /// Row `index` as `next()` returns it.
    package func record(at index: Int) -> CSVRecord {
        withRow(index) { $0.record }
    }
}

extension CSVRawRecord {
    /// The row as `next()` returns it: the decoded record, or a string per field of valid UTF-8.
    package var record: CSVRecord {
        if let decoded { return decoded }
        precondition(isUTF8, "a row without problems in a Windows-1251 file is decoded in a batch")
        return CSVRecord(row: row, line: line, fields: (0..<count).map { String(decoding: self[$0], as: UTF8.self) })
    }
}

extension CSVFileReader {
    /// Appends the next rows to `batch`: at most `rows` rows, fewer once it holds `bytes` bytes, none past
    /// row `lastRow`. Returns whether the input ended (end of file or `lastRow`).
    package func readBatch(into batch: inout RowBatch, rows: Int, bytes: Int, lastRow: Int) throws(CSVReadError)
        -> Bool
    {
        while batch.count < rows && batch.byteCount < bytes {
            guard nextRow <= lastRow else { return true }
            guard try nextRaw({ batch.append($0) }) != nil else { return true }
        }
        return false
    }
}
