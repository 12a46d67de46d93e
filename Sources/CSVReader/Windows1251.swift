/// Windows-1251 to Unicode, by table: one lookup per non-ASCII byte and no iconv state.
enum Windows1251 {
    /// Code points of bytes 0x80...0xFF. 0x98 is unassigned in the code page; like the WHATWG Encoding
    /// Standard it maps to U+0098 so every byte decodes to something.
    static let highHalf: [UInt16] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
        0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x0098, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
        0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
        0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
        0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
        0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
        0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
        0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
        0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
        0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
        0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
    ]

    /// Decodes Windows-1251 bytes (any byte is valid) to a string. The UTF-8 is built in scratch memory
    /// first: a string made with a 3× capacity went to the heap even when it fits in a small string (a
    /// Cyrillic word of up to 7 letters), which is most cells of a Russian export.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Every code point above is below U+FFFF, so at most 3 UTF-8 bytes per input byte.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count * 3 + 1) { output in
            guard let base = output.baseAddress else { return "" }
            var sawRToU = false
            let written = transcode(bytes, into: base, sawRToU: &sawRToU)
            return String(decoding: UnsafeBufferPointer(rebasing: output[..<written]), as: UTF8.self)
        }
    }

    /// The UTF-8 of bytes 0x80...0xFF packed for one store each: the bytes in the low 24 bits (first byte
    /// lowest), the length in the top 8.
    private static let highHalfUTF8: [UInt32] = highHalf.map { scalar in
        scalar < 0x800
            ? 2 << 24 | UInt32(0x80 | (scalar & 0x3F)) << 8 | UInt32(0xC0 | (scalar >> 6))
            : 3 << 24 | UInt32(0x80 | (scalar & 0x3F)) << 16 | UInt32(0x80 | ((scalar >> 6) & 0x3F)) << 8
                | UInt32(0xE0 | (scalar >> 12))
    }

    /// Writes the UTF-8 of `bytes` to `output` (room for 3 bytes per input byte, and 1 more) and returns its
    /// length; sets `sawRToU` when a byte is «Р» «С» «Т» or «У» (0xD0–0xD3, the mojibake check's sign)
    /// followed by one of 0x80–0xBF: UTF-8 read as Windows-1251 has that pair (the lead and continuation
    /// bytes of a Cyrillic letter), ordinary Russian seldom does («Сергей» is 0xD1 0xE5…).
    static func transcode(
        _ bytes: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>, sawRToU: inout Bool
    ) -> Int {
        // Without `ends`, a 0 byte is text like any other and the result is never nil.
        transcodeRow(bytes, into: output, ends: nil, maxEnds: 0, sawRToU: &sawRToU)?.written ?? 0
    }

    /// `transcode` over a row as the reader's sink lays it out: fields back to back, each ended by a 0 byte.
    /// With `ends`, writes the output offset of each 0 byte there (room for `maxEnds`) and returns the output's
    /// length and the number of 0 bytes, or nil when there are more than `maxEnds`. One pass for the whole
    /// row: field by field, most fields were shorter than the eight bytes the ASCII path takes at a time.
    static func transcodeRow(
        _ bytes: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>,
        ends: UnsafeMutablePointer<Int>?, maxEnds: Int, sawRToU: inout Bool
    ) -> (written: Int, ends: Int)? {
        guard let source = bytes.baseAddress else { return (0, 0) }
        let count = bytes.count
        var written = 0
        var found = 0
        var index = 0
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return highHalfUTF8.withUnsafeBufferPointer { table -> (Int, Int)? in
            while index < count {
                // Runs of ASCII (emails, digits, dates) are copied eight bytes at a time.
                if index + 8 <= count {
                    let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                    if word & ~lows == 0 {
                        UnsafeMutableRawPointer(output + written).storeBytes(of: word, as: UInt64.self)
                        if let ends {
                            // The high bit of each 0 byte, exactly (no borrow between bytes: all are below 0x80).
                            var zeros = ~((word &+ lows) | word) & ~lows
                            while zeros != 0 {
                                guard found < maxEnds else { return nil }
                                ends[found] = written + zeros.trailingZeroBitCount / 8
                                found += 1
                                zeros &= zeros &- 1
                            }
                        }
                        written += 8
                        index += 8
                        continue
                    }
                }
                let byte = source[index]
                index += 1
                if byte < 0x80 {
                    if byte == 0, let ends {
                        guard found < maxEnds else { return nil }
                        ends[found] = written
                        found += 1
                    }
                    output[written] = byte
                    written += 1
                } else {
                    if byte & 0xFC == 0xD0, index < count, source[index] & 0xC0 == 0x80 { sawRToU = true }
                    // Four bytes stored, the length kept: the extra byte is overwritten by what follows.
                    let packed = table[Int(byte) - 0x80]
                    UnsafeMutableRawPointer(output + written).storeBytes(of: packed.littleEndian, as: UInt32.self)
                    written += Int(packed >> 24)
                }
            }
            return (written, found)
        }
    }
}
