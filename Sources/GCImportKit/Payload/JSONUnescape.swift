/// The contents of a JSON string (between its quotes) with its escapes undone, as RFC 8259 defines them:
/// the short escapes, `\uXXXX`, and a surrogate pair as one character. Nil for any other escape, a lone
/// surrogate or a cut escape. The one reading of escapes for the ledger's lines and the account's exports.
enum JSONUnescape {
    static func bytes(_ escaped: some Collection<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(escaped.count)
        var iterator = escaped.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            guard let escape = iterator.next() else { return nil }
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(&iterator) else { return nil }
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by `\u` and a low one.
                    guard iterator.next() == UInt8(ascii: "\\"), iterator.next() == UInt8(ascii: "u"),
                        let low = hex4(&iterator), (0xDC00..<0xE000).contains(low)
                    else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar), let encoded = UTF8.encode(unicode) else { return nil }
                out.append(contentsOf: encoded)
            default:
                return nil
            }
        }
        return out
    }

    private static func hex4<I: IteratorProtocol<UInt8>>(_ iterator: inout I) -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = iterator.next() else { return nil }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }
}
