import CLibCSV

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the tokenizer does when libcsv refuses a quote: keep the row, say what happened, and restart at the
/// first line that can safely begin a record.
extension LibCSVTokenizer {
    /// libcsv stopped on a quote it cannot accept (`offending` is its index in the chunk), or the file ended
    /// inside a quoted field (`offending == nil`). Keeps what the record has as one broken record, so the row
    /// is not lost, and restarts the parser at the first line that can safely start a record.
    func recoverFromQuote(at offending: Int?, contentEnd: Int, segmentEnd: Int, endsLine: Bool)
        throws(CSVReadError)
    {
        let column = sink.pointee.fieldCount + 1
        let fieldLine = sink.pointee.openFieldStartLine
        // The open field is cut to the cap here whether or not a chunk boundary already had `capOpenField` cut
        // it, so where the chunks fall changes nothing in the row.
        let open = parser.pointee.entry_pos
        var tail = [UInt8](UnsafeBufferPointer(start: parser.pointee.entry_buf, count: min(open, maxFieldBytes)))
        if open > maxFieldBytes { sink.pointee.openFieldTruncated = true }
        resetParser(freeing: true)
        let name = CSVDelimiter.quoted(delimiter)

        if fieldLine == line {
            // The bad quote is on the line its field starts on: the rest of this line is the rest of the row.
            if let offending {
                recordProblems.append(
                    CSVProblem(
                        line: line, column: column, kind: .strayQuote,
                        message: "a quote inside field \(column) that is neither doubled "
                            + "(\"\") nor closing the field; the rest of the line was split at \(name) without quote "
                            + "handling. Double the quote, or quote the whole field"))
                keepRestOfLine(
                    consume tail, from: offending, contentEnd: contentEnd, segmentEnd: segmentEnd, endsLine: endsLine)
            } else {
                recordProblems.append(
                    CSVProblem(
                        line: line, column: column, kind: .unterminatedQuote,
                        message: "a quote opens a field and the file ends before it is "
                            + "closed; close the quote or double it"))
                // The line break that ends the file is inside the open field; it is not data.
                if let cut = tail.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) { tail.removeSubrange(cut...) }
                splitIntoFields(tail)
                sink.pointee.recordEnded = true
                finished = true
            }
            return
        }

        // The quoted field began on an earlier line: most likely its opening quote was never closed and it
        // swallowed the lines after it. Keep that line's part as the row, then re-read from the next line.
        if let cut = tail.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) { tail.removeSubrange(cut...) }
        // What was cut to the cap is the swallowed lines, not this line's part of the field.
        sink.pointee.openFieldTruncated = false
        let failure =
            offending == nil
            ? "the file ends inside it" : "on line \(line) its closing quote is followed by other text"
        let canRewind =
            resumePoint?.line == fieldLine + 1 && file.isSeekable && rewinds < Self.maxRewinds
        let next =
            canRewind
            ? "reading went on at line \(fieldLine + 1)"
            : "lines \(fieldLine + 1)-\(line) could not be re-read and are lost in this row"
        recordProblems.append(
            CSVProblem(
                line: fieldLine, column: column, kind: .unterminatedQuote,
                message: "the quoted field in column \(column) that opens on this line is not closed "
                    + "properly (\(failure)); the rest of line \(fieldLine) was kept in this row and \(next). "
                    + "Close the quote, or double quotes inside the field"))
        if canRewind, let resumePoint {
            finishBrokenRecord(tail)
            try rewind(to: resumePoint)
            return
        }
        if rewinds >= Self.maxRewinds, fileProblems.isEmpty {
            fileProblems.append(
                CSVProblem(
                    line: line, kind: .unterminatedQuote,
                    message: "more than \(Self.maxRewinds) broken quotes; stopped re-reading, so "
                        + "later rows may be merged. Fix the quoting and inspect again"))
        }
        guard let offending else {
            splitIntoFields(tail)
            sink.pointee.recordEnded = true
            finished = true
            return
        }
        keepRestOfLine(
            consume tail, from: offending, contentEnd: contentEnd, segmentEnd: segmentEnd, endsLine: endsLine)
    }

    /// Adds the rest of the line from `offending` to the broken record's `tail`; the record ends here when the
    /// line does, or waits in `recoveryTail` for the next chunk.
    private func keepRestOfLine(
        _ tail: consuming [UInt8], from offending: Int, contentEnd: Int, segmentEnd: Int, endsLine: Bool
    ) {
        // Consumed, not copied: both callers are done with their tail, so appending needs no second buffer.
        extend(&tail, from: offending, upTo: contentEnd)
        settle(tail, segmentEnd: segmentEnd, endsLine: endsLine)
    }

    /// Collects the rest of a line after a stray quote.
    func continueRecovery(upTo contentEnd: Int, segmentEnd: Int, endsLine: Bool) {
        guard var tail = recoveryTail else { return }
        recoveryTail = nil
        if memchr(chunk + position, 0, contentEnd - position) != nil { sink.pointee.sawNUL = true }
        extend(&tail, from: position, upTo: contentEnd)
        settle(tail, segmentEnd: segmentEnd, endsLine: endsLine)
    }

    /// Moves past the segment; the broken record ends with the line, or waits for the next chunk.
    private func settle(_ tail: [UInt8], segmentEnd: Int, endsLine: Bool) {
        position = segmentEnd
        if endsLine {
            finishBrokenRecord(tail)
        } else {
            recoveryTail = tail
        }
    }

    /// Appends the chunk's bytes `start..<contentEnd` to a broken record's tail, which holds at most the cap
    /// in all, whatever the chunks: what does not fit is dropped and said once.
    private func extend(_ tail: inout [UInt8], from start: Int, upTo contentEnd: Int) {
        let room = max(0, maxFieldBytes - tail.count)
        let taken = min(room, contentEnd - start)
        tail.append(contentsOf: UnsafeBufferPointer(start: chunk + start, count: taken))
        if taken < contentEnd - start, !recordProblems.contains(where: { $0.kind == .fieldTooLarge }) {
            recordProblems.append(
                CSVProblem(
                    line: line, kind: .fieldTooLarge,
                    message: "the rest of the line after a stray quote is longer than "
                        + "\(maxFieldBytes) bytes and was cut"))
        }
    }

    private func finishBrokenRecord(_ tail: [UInt8]) {
        splitIntoFields(tail)
        sink.pointee.recordEnded = true
        atLineStart = true
    }

    /// Splits raw bytes at the delimiter, with no quote handling: the best guess for a line libcsv refused.
    func splitIntoFields(_ bytes: [UInt8]) {
        let delimiter = delimiter
        let sink = sink
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else {
                sink.pointee.appendField(nil, count: 0)
                return
            }
            var start = 0
            for index in 0...buffer.count where index == buffer.count || buffer[index] == delimiter {
                sink.pointee.appendField(UnsafeRawPointer(base + start), count: index - start)
                start = index + 1
            }
        }
    }

    private func rewind(to point: (offset: Int, line: Int)) throws(CSVReadError) {
        try file.seek(to: point.offset)
        rewinds += 1
        chunkOffset = point.offset
        position = 0
        end = 0
        nextLF = -1
        nextCR = -1
        reachedEOF = false
        finished = false
        crPending = false
        atLineStart = true
        line = point.line - 1
        resumePoint = nil
    }
}
