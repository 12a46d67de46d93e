/// Where libcsv's callbacks put what they find: the fields of the record being parsed, back to back in one
/// byte buffer, with the physical line each field starts on.
///
/// It lives in memory the tokenizer allocated (an `UnsafeMutablePointer`), never in a stored property of a
/// Swift class: the callbacks run inside `csv_parse`, and an access to a property of an object that is
/// already being mutated would trip the run-time exclusivity check.
struct FieldSink {
    /// Field bytes, copied at once because libcsv's pointer is only valid during the callback. Each field is
    /// followed by a NUL so it can be turned into a string with the stdlib's fast C-string validator.
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity: Int
    private(set) var byteCount = 0
    /// End offset in `bytes` of each kept field (where its NUL terminator is), then the physical line each
    /// kept field starts on: two arrays in one allocation, unsafe because Swift arrays cost a uniqueness
    /// check per append and this runs for every field of every row.
    private var fieldTable: UnsafeMutablePointer<Int>
    private var fieldCapacity = 64
    /// Fields kept so far (at most `maxFields`).
    private(set) var keptCount = 0
    /// Indexes of fields cut to the size cap.
    private(set) var truncatedFields: [Int] = []
    /// Every field seen in the record, including those past `maxFields` that were not kept.
    private(set) var fieldCount = 0
    /// Fields kept per record; more are counted but dropped so one absurd line cannot eat memory.
    let maxFields: Int
    /// Longest field kept; the tokenizer also cuts libcsv's buffer to this between calls.
    let maxFieldBytes: Int

    /// The line libcsv is being fed; set by the tokenizer before each `csv_parse`.
    var currentLine = 0
    /// The line the record being parsed starts on.
    var recordStartLine = 0
    /// The line the field being parsed starts on (a field ends on the line of its delimiter, and the next
    /// field starts right after it).
    var openFieldStartLine = 0
    /// The open field went past the size cap and was cut.
    var openFieldTruncated = false
    /// libcsv reported the end of a record.
    var recordEnded = false
    /// A NUL byte was fed for this record: the terminators above cannot be trusted to end fields.
    var sawNUL = false

    init(maxFields: Int, maxFieldBytes: Int) {
        self.maxFields = maxFields
        self.maxFieldBytes = maxFieldBytes
        byteCapacity = 4096
        bytes = .allocate(capacity: byteCapacity)
        fieldTable = .allocate(capacity: 2 * fieldCapacity)
    }

    func deallocate() {
        bytes.deallocate()
        fieldTable.deallocate()
    }

    // MARK: Filling

    /// Forgets the previous record, keeping the buffers.
    mutating func reset() {
        byteCount = 0
        fieldCount = 0
        keptCount = 0
        truncatedFields.removeAll(keepingCapacity: true)
        openFieldTruncated = false
        recordEnded = false
        sawNUL = false
    }

    /// Appends one field (the bytes are copied).
    mutating func appendField(_ start: UnsafeRawPointer?, count fullCount: Int) {
        fieldCount += 1
        // A field that grew past the cap inside one `csv_parse` call is cut here; one that grew across calls
        // was cut by the tokenizer and may have gained up to a chunk since.
        if fullCount > maxFieldBytes { openFieldTruncated = true }
        let count = min(fullCount, maxFieldBytes)
        defer {
            openFieldTruncated = false
            openFieldStartLine = currentLine
        }
        guard fieldCount <= maxFields else { return }
        reserve(count + 1)
        if count > 0, let start {
            ByteCopy.copy(start.assumingMemoryBound(to: UInt8.self), to: bytes + byteCount, count: count)
            byteCount += count
        }
        bytes[byteCount] = 0
        if openFieldTruncated { truncatedFields.append(keptCount) }
        if keptCount == fieldCapacity { growFieldTable() }
        fieldTable[keptCount] = byteCount
        fieldTable[fieldCapacity + keptCount] = openFieldStartLine
        keptCount += 1
        byteCount += 1
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if byteCount + extra > byteCapacity { grow(toFit: extra) }
    }

    @inline(never)
    private mutating func grow(toFit extra: Int) {
        var capacity = byteCapacity * 2
        while capacity < byteCount + extra { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    private mutating func growFieldTable() {
        let capacity = fieldCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: 2 * capacity)
        grown.update(from: fieldTable, count: keptCount)
        (grown + capacity).update(from: fieldTable + fieldCapacity, count: keptCount)
        fieldTable.deallocate()
        fieldTable = grown
        fieldCapacity = capacity
    }

    // MARK: Reading

    /// End offsets of the kept fields.
    var fieldEnds: UnsafeBufferPointer<Int> {
        UnsafeBufferPointer(start: fieldTable, count: keptCount)
    }

    /// The physical line kept field `index` starts on.
    func fieldStartLine(_ index: Int) -> Int {
        fieldTable[fieldCapacity + index]
    }

    /// The bytes of kept field `index` (without its terminator).
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : fieldEnds[index - 1] + 1
        return UnsafeBufferPointer(start: bytes + start, count: fieldEnds[index] - start)
    }
}
