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
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count * 3)) { output in
            var written = 0
            highHalf.withUnsafeBufferPointer { table in
                for byte in bytes {
                    if byte < 0x80 {
                        output[written] = byte
                        written += 1
                        continue
                    }
                    let scalar = table[Int(byte) - 0x80]
                    if scalar < 0x800 {
                        output[written] = UInt8(0xC0 | (scalar >> 6))
                        output[written + 1] = UInt8(0x80 | (scalar & 0x3F))
                        written += 2
                    } else {
                        output[written] = UInt8(0xE0 | (scalar >> 12))
                        output[written + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                        output[written + 2] = UInt8(0x80 | (scalar & 0x3F))
                        written += 3
                    }
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: output[..<written]), as: UTF8.self)
        }
    }
}
