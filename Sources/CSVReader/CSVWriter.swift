/// Writes CSV that gcimport's reader (and Excel) read back as the original: the same delimiter, the same
/// encoding and BOM as the input file, so a file of rows to fix can be fed back through the same mapping.
package struct CSVWriter: Sendable {
    var delimiter: UInt8
    var encoding: CSVEncoding
    var writesBOM: Bool

    package init(delimiter: UInt8, encoding: CSVEncoding, writesBOM: Bool) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.writesBOM = writesBOM
    }

    /// The bytes that start the file (the UTF-8 BOM when asked for; Windows-1251 has none).
    package var preamble: [UInt8] {
        writesBOM && encoding == .utf8 ? [0xEF, 0xBB, 0xBF] : []
    }

    /// One record, CRLF-terminated as Excel writes it. A field is quoted when it holds the delimiter, a quote,
    /// a line break, or spaces at either end (which the reader would otherwise trim). Fields in `rawFields`
    /// (`CSVRecord.rawFields`: bytes that were not text) are written as they were read, not as U+FFFD.
    package func encodeRecord(_ fields: [String], rawFields: [Int: [UInt8]] = [:]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(delimiter) }
            let bytes = rawFields[index] ?? encode(field)
            if needsQuotes(bytes) {
                out.append(UInt8(ascii: "\""))
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: bytes)
            }
        }
        out.append(contentsOf: [0x0D, 0x0A])
        return out
    }

    /// The text in this writer's encoding. Characters Windows-1251 cannot hold become `?`.
    func encode(_ text: String) -> [UInt8] {
        switch encoding {
        case .utf8: Array(text.utf8)
        case .windows1251: Windows1251.encode(text)
        }
    }

    private func needsQuotes(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        return bytes.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
    }
}

extension Windows1251 {
    /// Unicode to Windows-1251 by reversing the decoding table once.
    private static let reverse: [UInt16: UInt8] = {
        var table: [UInt16: UInt8] = [:]
        for (offset, scalar) in highHalf.enumerated() { table[scalar] = UInt8(0x80 + offset) }
        return table
    }()

    /// The text's bytes, or nil when a character has none in Windows-1251.
    static func encodeExactly(_ text: String) -> [UInt8]? {
        encode(text, replacement: nil)
    }

    static func encode(_ text: String) -> [UInt8] {
        encode(text, replacement: UInt8(ascii: "?")) ?? []
    }

    /// Characters without a byte become `replacement`, or fail the whole text when it is nil.
    private static func encode(_ text: String, replacement: UInt8?) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                out.append(UInt8(scalar.value))
            } else if scalar.value <= 0xFFFF, let byte = reverse[UInt16(scalar.value)] {
                out.append(byte)
            } else if let replacement {
                out.append(replacement)
            } else {
                return nil
            }
        }
        return out
    }
}
