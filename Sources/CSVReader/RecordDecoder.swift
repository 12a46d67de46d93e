#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the raw fields in a `FieldSink` into strings, reporting bytes that cannot be text.
struct RecordDecoder {
    let encoding: CSVEncoding
    /// What detection went by, for the hint on bytes that are not UTF-8; nil when the encoding was given.
    let evidence: CSVEncodingEvidence?
    let maxFieldBytes: Int

    /// Decodes every kept field; problems (NUL, invalid UTF-8, cut fields) go to `problems` with `row`, and
    /// the bytes of fields that are not UTF-8 to `rawFields`, so they can be written back as they were.
    func decode(
        _ sink: UnsafeMutablePointer<FieldSink>, row: Int?, problems: inout [CSVProblem],
        rawFields: inout [Int: [UInt8]]
    ) -> [String] {
        let base = sink.pointee.bytes
        let ends = sink.pointee.fieldEnds
        var fields: [String] = []
        fields.reserveCapacity(ends.count)
        var needsSecondPass = sink.pointee.sawNUL || !sink.pointee.truncatedFields.isEmpty
        var start = 0
        for end in ends {
            let bytes = UnsafeBufferPointer(start: base + start, count: end - start)
            switch encoding {
            case .utf8:
                // Each field is NUL-terminated in the sink, so the stdlib's non-generic C-string validator
                // applies; `String(validating:as:)` costs generic metadata look-ups on every call.
                if let text = String(
                    validatingCString: UnsafeRawPointer(base + start).assumingMemoryBound(to: CChar.self))
                {
                    fields.append(text)
                } else {
                    needsSecondPass = true
                    fields.append(String(decoding: bytes, as: UTF8.self))
                }
            case .windows1251:
                fields.append(
                    UTF8Validation.isASCII(bytes) ? String(decoding: bytes, as: UTF8.self) : Windows1251.decode(bytes))
            }
            start = end + 1
        }
        // Rare cases are located in a second pass, so a clean row pays for nothing more.
        if needsSecondPass {
            decodeSlow(sink, row: row, fields: &fields, problems: &problems, rawFields: &rawFields)
        }
        return fields
    }

    /// Whether `decode` would report nothing for the sink's record: no NUL, no cut field and, in a UTF-8
    /// file, valid UTF-8, checked once over the whole record (a terminator is never part of a sequence).
    func isClean(_ sink: UnsafeMutablePointer<FieldSink>) -> Bool {
        guard !sink.pointee.sawNUL, sink.pointee.truncatedFields.isEmpty else { return false }
        guard encoding == .utf8 else { return true }
        let bytes = UnsafeBufferPointer(start: sink.pointee.bytes, count: sink.pointee.byteCount)
        return UTF8Validation.firstInvalidOffset(bytes) == nil
    }

    private func decodeSlow(
        _ sink: UnsafeMutablePointer<FieldSink>, row: Int?, fields: inout [String], problems: inout [CSVProblem],
        rawFields: inout [Int: [UInt8]]
    ) {
        for index in fields.indices {
            var bytes = sink.pointee.field(index)
            let startLine = sink.pointee.fieldStartLine(index)
            let column = index + 1
            if sink.pointee.truncatedFields.contains(index) {
                if encoding == .utf8 {
                    bytes = UnsafeBufferPointer(
                        rebasing: bytes[..<UTF8Validation.lengthWithoutCutSequence(bytes)])
                    fields[index] = String(decoding: bytes, as: UTF8.self)
                }
                problems.append(
                    CSVProblem(
                        line: startLine, column: column, row: row, kind: .fieldTooLarge,
                        message: "the field is longer than \(maxFieldBytes) "
                            + "bytes and was cut to that size; a quote left open can cause this, or raise the "
                            + "limit with --max-field-size"))
            }
            if sink.pointee.sawNUL, let nul = bytes.firstIndex(of: 0) {
                if encoding == .utf8 { fields[index] = String(decoding: bytes, as: UTF8.self) }
                let line = startLine + Self.lineBreaks(in: UnsafeBufferPointer(rebasing: bytes[..<nul]))
                problems.append(
                    CSVProblem(
                        line: line, column: column, row: row, kind: .nulByte,
                        message: "a NUL byte (0x00) in the field; the file may be "
                            + "binary, UTF-16 or damaged. Remove the byte or re-export the file"))
            }
            if encoding == .utf8, let bad = UTF8Validation.firstInvalidOffset(bytes) {
                let line = startLine + Self.lineBreaks(in: UnsafeBufferPointer(rebasing: bytes[..<bad]))
                let sample = bytes[bad..<min(bytes.count, bad + 4)].map {
                    "0x" + String($0, radix: 16, uppercase: true)
                }
                problems.append(
                    CSVProblem(
                        line: line, column: column, row: row, kind: .invalidUTF8,
                        message: "bytes that are not UTF-8 (\(sample.joined(separator: " "))), shown as U+FFFD; "
                            + hint(for: bytes)))
                rawFields[index] = Array(bytes)
                fields[index] = String(decoding: bytes, as: UTF8.self)
            }
        }
    }

    /// Why the file was read as UTF-8, and how the field reads as Windows-1251 (its likely encoding).
    private func hint(for bytes: UnsafeBufferPointer<UInt8>) -> String {
        let reading = HeaderCheck.snippet(Windows1251.decode(bytes))
        let why = evidence.map { "the file was read as UTF-8 (\($0.summary))" } ?? "the file was read as UTF-8 as asked"
        return "\(why); the value is probably Windows-1251, where it reads «\(reading)»: re-save the row as UTF-8, "
            + "or use --encoding windows-1251 if the whole file is"
    }

    /// Physical line breaks (LF, CR, CRLF) in a quoted field's bytes.
    static func lineBreaks(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var breaks = 0
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0A, previous != 0x0D { breaks += 1 }
            if byte == 0x0D { breaks += 1 }
            previous = byte
        }
        return breaks
    }
}
