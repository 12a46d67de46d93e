/// One data row as the reader holds it, without a string per field: the fields' bytes back to back in the
/// reader's own buffer. Valid only inside the closure `CSVFileReader.nextRaw` passes it to.
package struct CSVRawRecord {
    /// 1-based data-row number, as `next()` numbers it.
    package let row: Int
    /// 1-based physical line where the record starts.
    package let line: Int
    /// What `next()` reports for the row. When there is any, `decoded` is the row as `next()` returns it.
    package let problems: [CSVProblem]
    package let decoded: CSVRecord?
    /// The fields' bytes are valid UTF-8, checked once for the whole row: a row without problems in a
    /// UTF-8 file (or the first row of a file without a header, laid out from its strings). Otherwise they
    /// are the file's bytes as they are (Windows-1251, or not text).
    package let isUTF8: Bool
    /// False when the row is known to hold nothing `Mojibake.mayBeSuspect` would flag (a row transcoded from
    /// Windows-1251 without «Р» «С» «Т» «У» followed by a byte a UTF-8 lead needs); true when unknown.
    let maySignMojibake: Bool
    private let base: UnsafePointer<UInt8>
    private let ends: UnsafeBufferPointer<Int>

    init(
        row: Int, line: Int, problems: [CSVProblem], decoded: CSVRecord?, isUTF8: Bool,
        base: UnsafePointer<UInt8>, ends: UnsafeBufferPointer<Int>, maySignMojibake: Bool = true
    ) {
        self.maySignMojibake = maySignMojibake
        self.row = row
        self.line = line
        self.problems = problems
        self.decoded = decoded
        self.isUTF8 = isUTF8
        self.base = base
        self.ends = ends
    }

    /// The number of fields kept.
    package var count: Int { ends.count }

    /// The bytes of field `index` (0-based), without the reader's terminator.
    package subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1] + 1
        return UnsafeBufferPointer(start: base + start, count: ends[index] - start)
    }

    /// Where field 0 starts; the fields follow it back to back, each ended by a 0 byte.
    var start: UnsafePointer<UInt8> { base }

    /// The offset from `start` of field `index`'s terminator.
    func end(of index: Int) -> Int { ends[index] }

    /// Every field's `end(of:)`.
    var fieldEnds: UnsafeBufferPointer<Int> { ends }

    /// The raw view of a row that only exists decoded (the first row of a file without a header, read
    /// while opening it): its strings laid out the same way.
    package static func withLayout<T>(of record: CSVRecord, _ body: (CSVRawRecord) -> T) -> T {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for field in record.fields {
            bytes.append(contentsOf: field.utf8)
            ends.append(bytes.count)
            bytes.append(0)
        }
        bytes.append(0)
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        defer { base.deallocate() }
        base.initialize(from: bytes, count: bytes.count)
        return ends.withUnsafeBufferPointer { ends in
            body(
                CSVRawRecord(
                    row: record.row, line: record.line, problems: record.problems,
                    decoded: record.problems.isEmpty ? nil : record, isUTF8: record.problems.isEmpty,
                    base: UnsafePointer(base), ends: ends))
        }
    }
}
