/// Minimal JSON text helpers for the hand-written ledger lines.
enum JSONText {
    static func appendMember(_ key: String, number: Int, to out: inout [UInt8]) {
        out.append(contentsOf: ",\"\(key)\":".utf8)
        out.append(contentsOf: String(number).utf8)
    }

    static func appendMember(_ key: String, string: String, to out: inout [UInt8]) {
        out.append(contentsOf: ",\"\(key)\":".utf8)
        appendString(string, to: &out)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; other UTF-8 kept as is.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
