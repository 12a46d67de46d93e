import CLibCSV

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns a file into records of raw field bytes with libcsv, feeding it one physical line at a time.
///
/// libcsv says nothing about where a record starts and skips blank lines silently, so the tokenizer cuts
/// each chunk at line ends (`memchr`) and hands libcsv one line at a time: every callback then knows its
/// physical line, and the parser's state before a line (`pstate == 0`, "row not begun") says whether a
/// new record can start on it. Strict mode stops libcsv at a bad quote; the tokenizer then keeps what it
/// has as one broken record (so no row vanishes), restarts libcsv and goes on at the next safe line.
final class LibCSVTokenizer {
    // MARK: State
    // Internal rather than private where the recovery code in LibCSVTokenizer+Recovery.swift needs it.

    let file: InputFile
    let parser: UnsafeMutablePointer<csv_parser>
    /// The record being built; see `FieldSink` for why it is not a stored struct.
    let sink: UnsafeMutablePointer<FieldSink>
    private(set) var delimiter: UInt8 = 0x2C
    let maxFieldBytes: Int

    let chunk: UnsafeMutablePointer<UInt8>
    private let chunkSize: Int
    var position = 0
    var end = 0
    /// File offset of `chunk[0]`.
    var chunkOffset = 0
    /// Cached `memchr` results (index in the chunk, `end` when none), so CR-only or LF-only files are not
    /// scanned again for the other terminator on every line.
    var nextLF = -1
    var nextCR = -1
    var reachedEOF = false
    var finished = false

    var line = 0
    var atLineStart = true
    /// The chunk ended on a CR: a LF at the start of the next chunk belongs to the same line end.
    var crPending = false
    private var lineStartedAtRecordBoundary = false
    /// Where to re-read from when the field now open turns out to hold a broken quote: the line after the
    /// one the field started on.
    var resumePoint: (offset: Int, line: Int)?
    /// Raw bytes after a stray quote, collected until the line ends.
    var recoveryTail: [UInt8]?
    var rewinds = 0
    /// Bytes still to skip before the first record (a BOM), across chunks however small.
    private var pendingSkip = 0
    static let maxRewinds = 1000

    /// Lines that held nothing (or only spaces) and were skipped.
    private(set) var blankLines = 0
    /// Quoting problems of the record just returned.
    var recordProblems: [CSVProblem] = []
    /// Problems about the file as a whole (resync notes).
    var fileProblems: [CSVProblem] = []

    // MARK: Life cycle

    /// Opens the parser and reads the first chunk, so the caller can sniff it before choosing a delimiter.
    init(file: InputFile, maxFieldBytes: Int, chunkSize: Int) throws(CSVReadError) {
        self.file = file
        self.maxFieldBytes = max(1, maxFieldBytes)
        self.chunkSize = file.bufferSize(upTo: max(1, chunkSize))
        chunk = .allocate(capacity: self.chunkSize)
        parser = .allocate(capacity: 1)
        parser.initialize(to: csv_parser())
        sink = .allocate(capacity: 1)
        sink.initialize(to: FieldSink(maxFields: 100_000, maxFieldBytes: self.maxFieldBytes))
        resetParser(freeing: false)
        try refill()
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
        sink.pointee.deallocate()
        sink.deinitialize(count: 1)
        sink.deallocate()
        chunk.deallocate()
    }

    /// The bytes read so far and not yet parsed (the first chunk right after `init`).
    var buffered: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: chunk + position, count: end - position)
    }

    /// Sets the delimiter and skips `prefix` bytes (a BOM, a `sep=` line) holding `lines` whole lines.
    func start(delimiter: UInt8, skipping prefix: Int, lines: Int) {
        self.delimiter = delimiter
        csv_set_delim(parser, delimiter)
        pendingSkip = prefix
        line = lines
    }

    func resetParser(freeing: Bool) {
        // libcsv must be initialised again after csv_free, or it writes through a freed buffer.
        if freeing { csv_free(parser) }
        csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
        csv_set_delim(parser, delimiter)
        // The default 128-byte growth step makes long fields crawl.
        csv_set_blk_size(parser, 4096)
    }

    // MARK: Records

    /// Parses until one record is complete (its fields are in `sink`); false at the end of the input.
    func nextRecord() throws(CSVReadError) -> Bool {
        sink.pointee.reset()
        recordProblems.removeAll(keepingCapacity: true)
        while !finished {
            if position == end {
                if reachedEOF {
                    try finishInput()
                } else {
                    try refill()
                }
            } else {
                try step()
            }
            if sink.pointee.recordEnded { return true }
        }
        return false
    }

    /// Feeds the next piece of the current line (up to and including its terminator, or to the chunk end).
    private func step() throws(CSVReadError) {
        if pendingSkip > 0 {
            let skipped = min(pendingSkip, end - position)
            position += skipped
            pendingSkip -= skipped
            return
        }
        if crPending {
            crPending = false
            if chunk[position] == 0x0A {
                try feed(from: position, to: position + 1, contentEnd: position, endsLine: false)
                return
            }
        }
        if atLineStart { beginLine() }
        if nextLF < position { nextLF = find(0x0A) }
        if nextCR < position { nextCR = find(0x0D) }
        let terminator = min(nextLF, nextCR)
        var segmentEnd = end
        let endsLine = terminator < end
        if endsLine {
            segmentEnd = terminator + 1
            if chunk[terminator] == 0x0D {
                if terminator + 1 < end {
                    if chunk[terminator + 1] == 0x0A { segmentEnd += 1 }
                } else {
                    crPending = true
                }
            }
        }
        if recoveryTail != nil {
            continueRecovery(upTo: terminator, segmentEnd: segmentEnd, endsLine: endsLine)
            return
        }
        try feed(from: position, to: segmentEnd, contentEnd: terminator, endsLine: endsLine)
    }

    private func beginLine() {
        atLineStart = false
        line += 1
        if line == sink.pointee.openFieldStartLine + 1 {
            resumePoint = (chunkOffset + position, line)
        }
        lineStartedAtRecordBoundary = parser.pointee.pstate == 0
        if lineStartedAtRecordBoundary {
            sink.pointee.recordStartLine = line
            sink.pointee.openFieldStartLine = line
        }
        sink.pointee.currentLine = line
    }

    private func endLine() {
        atLineStart = true
        if lineStartedAtRecordBoundary && parser.pointee.pstate == 0 && !sink.pointee.recordEnded {
            blankLines += 1
        }
    }

    private func feed(from start: Int, to stop: Int, contentEnd: Int, endsLine: Bool) throws(CSVReadError) {
        let length = stop - start
        if memchr(chunk + start, 0, length) != nil { sink.pointee.sawNUL = true }
        let consumed = csv_parse(
            parser, chunk + start, length,
            { data, count, context in
                context?.assumingMemoryBound(to: FieldSink.self).pointee.appendField(data, count: count)
            },
            { _, context in
                context?.assumingMemoryBound(to: FieldSink.self).pointee.recordEnded = true
            },
            sink)
        if consumed < length {
            guard csv_error(parser) == CSV_EPARSE else {
                let reason = String(cString: csv_strerror(csv_error(parser)))
                throw CSVReadError(path: file.path, message: "libcsv failed on line \(line): \(reason)")
            }
            try recoverFromQuote(at: start + consumed, contentEnd: contentEnd, segmentEnd: stop, endsLine: endsLine)
            return
        }
        position = stop
        capOpenField()
        if endsLine { endLine() }
    }

    /// Cuts the open field back to the cap so a runaway field (often a quote never closed) cannot eat memory.
    /// Only in the "inside a field" state: in the "quote might have ended" state the last byte is the quote
    /// libcsv will remove later. Trailing spaces libcsv holds back (`spaces`) do not count: they vanish if
    /// the field ends there, so cutting them would make the result depend on where a chunk ended. Only an
    /// absurd run of them (`spaceSlack`) is cut regardless.
    private func capOpenField() {
        let held = parser.pointee.entry_pos
        let content = held - parser.pointee.spaces
        guard content > maxFieldBytes || held > maxFieldBytes + Self.spaceSlack, parser.pointee.pstate == 2 else {
            return
        }
        parser.pointee.entry_pos = maxFieldBytes
        parser.pointee.spaces = 0
        sink.pointee.openFieldTruncated = true
    }

    /// Trailing spaces an open field may hold beyond the cap before they are cut too.
    static let spaceSlack = 1 << 20

    private func find(_ byte: UInt8) -> Int {
        guard let hit = memchr(chunk + position, Int32(byte), end - position) else { return end }
        return hit.assumingMemoryBound(to: UInt8.self) - chunk
    }

    private func refill() throws(CSVReadError) {
        chunkOffset += end
        position = 0
        end = 0
        nextLF = -1
        nextCR = -1
        let got = try file.read(into: chunk, count: chunkSize)
        end = got
        if got == 0 { reachedEOF = true }
    }

    private func finishInput() throws(CSVReadError) {
        crPending = false
        if let tail = recoveryTail {
            recoveryTail = nil
            splitIntoFields(tail)
            sink.pointee.recordEnded = true
            finished = true
            return
        }
        sink.pointee.currentLine = line
        let status = csv_fini(
            parser,
            { data, count, context in
                context?.assumingMemoryBound(to: FieldSink.self).pointee.appendField(data, count: count)
            },
            { _, context in
                context?.assumingMemoryBound(to: FieldSink.self).pointee.recordEnded = true
            },
            sink)
        if status != 0 {
            try recoverFromQuote(at: nil, contentEnd: end, segmentEnd: end, endsLine: false)
            return
        }
        finished = true
    }
}
