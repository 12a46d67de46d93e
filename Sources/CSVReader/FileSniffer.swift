/// What the first bytes of a file say about how to read it: BOM, encoding, delimiter, or that it is no CSV.
enum FileSniffer {
    /// Bytes examined for the delimiter and the kind of file.
    static let headWindow = 64 << 10
    /// Bytes examined for the encoding: enough lines to outvote a few pasted from elsewhere.
    static let encodingWindow = 4 << 20

    // MARK: Head

    /// The first bytes of the file, without moving the read offset when the file can seek.
    static func head(of file: InputFile, tokenizer: LibCSVTokenizer) throws(CSVReadError) -> [UInt8] {
        guard file.isSeekable else { return Array(tokenizer.buffered) }
        let window = file.bufferSize(upTo: headWindow)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: window, alignment: 8)
        defer { buffer.deallocate() }
        let got = try file.read(into: buffer, count: window, at: 0)
        return Array(UnsafeRawBufferPointer(start: buffer, count: got))
    }

    static func hasUTF8BOM(_ head: [UInt8]) -> Bool {
        head.starts(with: [0xEF, 0xBB, 0xBF])
    }

    /// Throws for files that are not delimited text at all, with what to do instead.
    static func rejectNonText(_ head: [UInt8], path: String) throws(CSVReadError) {
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            throw CSVReadError(
                path: path,
                message: "is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" or convert it with "
                    + "iconv -f UTF-16 -t UTF-8")
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw CSVReadError(
                path: path, message: "is a ZIP archive (an .xlsx workbook?), not CSV; in Excel use Save As > CSV")
        }
        let sample = head.prefix(4096)
        let nuls = sample.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        if nuls >= 16, nuls * 10 >= sample.count {
            throw CSVReadError(
                path: path,
                message: "looks binary or UTF-16 (\(nuls) NUL bytes in the first \(sample.count)); save it as CSV")
        }
    }

    // MARK: Encoding

    /// UTF-8 unless the evidence of the first `encodingWindow` bytes says otherwise (see
    /// `CSVEncodingEvidence.encoding`).
    static func detectEncoding(
        of file: InputFile, head: [UInt8]
    ) throws(CSVReadError) -> CSVEncodingEvidence {
        var evidence = CSVEncodingEvidence()
        guard file.isSeekable else {
            _ = head.withUnsafeBytes { evidence.count(lines: $0, isFinal: false) }
            return evidence
        }
        let window = file.bufferSize(upTo: 1 << 20)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: window, alignment: 8)
        defer { buffer.deallocate() }
        var offset = 0
        while offset < encodingWindow {
            let got = try file.read(into: buffer, count: window, at: offset)
            let isFinal = got < window
            let used = evidence.count(lines: UnsafeRawBufferPointer(start: buffer, count: got), isFinal: isFinal)
            if isFinal { break }
            offset += max(used, 1)
        }
        return evidence
    }

    // MARK: Delimiter

    /// Excel's `sep=;` first line, which names the delimiter: that byte and the line's length with its end.
    static func separatorLine(_ head: ArraySlice<UInt8>) -> (delimiter: UInt8, length: Int)? {
        let bytes = Array(head.prefix(7))
        guard bytes.count >= 5, bytes[0...3].map({ $0 | 0x20 }) == Array("sep=".utf8) else { return nil }
        let delimiter = bytes[4]
        guard delimiter != 0x0A, delimiter != 0x0D, delimiter != 0x22, delimiter < 0x80 else { return nil }
        let rest = bytes.dropFirst(5)
        if rest.starts(with: [0x0D, 0x0A]) { return (delimiter, 7) }
        if rest.first == 0x0A || rest.first == 0x0D { return (delimiter, 6) }
        return rest.isEmpty ? (delimiter, 5) : nil
    }

    /// Candidates in the order that wins a tie (see `CSVDelimiter`).
    static let delimiters: [UInt8] = CSVDelimiter.allCases.map(\.rawValue)

    /// Picks the candidate that occurs (outside quotes) in the header line and keeps the same count on most
    /// of the next lines; more occurrences in the header break a tie. `,` when none occurs.
    static func detectDelimiter(_ head: ArraySlice<UInt8>) -> UInt8 {
        var lines: [[Int]] = []
        var counts = [0, 0, 0, 0]
        var inQuotes = false
        var hasContent = false
        for byte in head {
            if byte == 0x22 {
                inQuotes.toggle()
                hasContent = true
            } else if inQuotes {
                continue
            } else if byte == 0x0A || byte == 0x0D {
                if hasContent { lines.append(counts) }
                if lines.count == 50 { break }
                counts = [0, 0, 0, 0]
                hasContent = false
            } else {
                if byte != 0x20 { hasContent = true }
                if let index = delimiters.firstIndex(of: byte) { counts[index] += 1 }
            }
        }
        // A last line cut by the window would count short; use it only when it is the only line.
        if hasContent, lines.isEmpty { lines.append(counts) }
        guard let header = lines.first else { return 0x2C }
        var best: (index: Int, consistent: Int, count: Int)?
        for index in delimiters.indices where header[index] > 0 {
            let consistent = lines.dropFirst().filter { $0[index] == header[index] }.count
            if let current = best,
                (current.consistent, current.count) >= (consistent, header[index])
            {
                continue
            }
            best = (index, consistent, header[index])
        }
        return best.map { delimiters[$0.index] } ?? 0x2C
    }
}
