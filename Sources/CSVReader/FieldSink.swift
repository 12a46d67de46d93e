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
    /// End offset in `bytes` of each kept field (where its NUL terminator is).
    private(set) var fieldEnds: [Int] = []
    /// The physical line each kept field starts on.
    private(set) var fieldStartLines: [Int] = []
    /// Indexes of fields cut to the size cap.
    private(set) var truncatedFields: [Int] = []
    /// Every field seen in the record, including those past `maxFields` that were not kept.
    private(set) var fieldCount = 0
    /// Fields kept per record; more are counted but dropped so one absurd line cannot eat memory.
    let maxFields: Int

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

    init(maxFields: Int) {
        self.maxFields = maxFields
        byteCapacity = 4096
        bytes = .allocate(capacity: byteCapacity)
        fieldEnds.reserveCapacity(64)
        fieldStartLines.reserveCapacity(64)
    }

    func deallocate() {
        bytes.deallocate()
    }

    // MARK: Filling

    /// Forgets the previous record, keeping the buffers.
    mutating func reset() {
        byteCount = 0
        fieldCount = 0
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStartLines.removeAll(keepingCapacity: true)
        truncatedFields.removeAll(keepingCapacity: true)
        openFieldTruncated = false
        recordEnded = false
        sawNUL = false
    }

    /// Appends one field (the bytes are copied).
    mutating func appendField(_ start: UnsafeRawPointer?, count: Int) {
        fieldCount += 1
        defer {
            openFieldTruncated = false
            openFieldStartLine = currentLine
        }
        guard fieldCount <= maxFields else { return }
        reserve(count + 1)
        if count > 0, let start {
            (bytes + byteCount).update(from: start.assumingMemoryBound(to: UInt8.self), count: count)
            byteCount += count
        }
        bytes[byteCount] = 0
        if openFieldTruncated { truncatedFields.append(fieldEnds.count) }
        fieldEnds.append(byteCount)
        fieldStartLines.append(openFieldStartLine)
        byteCount += 1
    }

    private mutating func reserve(_ extra: Int) {
        guard byteCount + extra > byteCapacity else { return }
        var capacity = byteCapacity * 2
        while capacity < byteCount + extra { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    // MARK: Reading

    /// The bytes of kept field `index` (without its terminator).
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : fieldEnds[index - 1] + 1
        return UnsafeBufferPointer(start: bytes + start, count: fieldEnds[index] - start)
    }
}
