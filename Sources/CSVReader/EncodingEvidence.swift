/// What the lines of a file's start say about its encoding, counted line by line so that a few rows pasted
/// from another file cannot decide for the whole file.
package struct CSVEncodingEvidence: Sendable, Equatable {
    /// Lines whose non-ASCII bytes are all valid UTF-8.
    package var utf8Lines = 0
    /// Lines holding bytes that are not UTF-8 (Windows-1251 Cyrillic practically never is).
    package var otherLines = 0
    /// Bytes looked at.
    var bytes = 0

    init(utf8Lines: Int = 0, otherLines: Int = 0, bytes: Int = 0) {
        self.utf8Lines = utf8Lines
        self.otherLines = otherLines
        self.bytes = bytes
    }

    /// UTF-8 when no line contradicts it, or when more lines are UTF-8 than not: the odd Windows-1251 row
    /// in a UTF-8 export is then reported on its line instead of turning every name into mojibake. A file
    /// mostly in Windows-1251 is read as such, and its few UTF-8 rows show up as mojibake warnings.
    var encoding: CSVEncoding {
        otherLines == 0 || utf8Lines > otherLines ? .utf8 : .windows1251
    }

    /// "3 line(s) with non-ASCII text are UTF-8, 1 are not", for `inspect` and the hint of an invalid row.
    package var summary: String {
        if utf8Lines + otherLines == 0 { return "the first \(bytes) bytes are ASCII" }
        return "\(utf8Lines) line(s) with non-ASCII text are UTF-8, \(otherLines) are not"
    }

    /// Counts the lines (split at LF or CR) of `bytes`; returns how many bytes were used. Without
    /// `isFinal`, a last line that may continue past the window is left for the next call, unless it fills
    /// the whole window, whose complete UTF-8 sequences are then counted as one line.
    mutating func count(lines buffer: UnsafeRawBufferPointer, isFinal: Bool) -> Int {
        var start = 0
        while start < buffer.count {
            var end = start
            while end < buffer.count, buffer[end] != 0x0A, buffer[end] != 0x0D { end += 1 }
            let cut = end == buffer.count && !isFinal
            if cut, start > 0 { break }
            let line = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
            switch UTF8Validation.check(line, isFinal: !cut) {
            case .invalid:
                otherLines += 1
            case .valid(let validCount):
                if !UTF8Validation.isASCII(line.assumingMemoryBound(to: UInt8.self)) { utf8Lines += 1 }
                if cut {
                    bytes += max(validCount, 1)
                    return max(validCount, 1)
                }
            }
            start = end + 1
        }
        let used = min(start, buffer.count)
        bytes += used
        return used
    }
}
