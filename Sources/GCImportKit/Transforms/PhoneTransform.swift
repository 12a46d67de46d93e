// phone: "+7 (900) 123-45-67", "8 900 123 45 67", "89001234567" all become "+79001234567". GetCourse matches
// users by phone too, so one spelling per number matters; junk is an error rather than a silent guess.

/// Normalises a phone number to `+` and digits (E.164 shape).
enum PhoneTransform {
    /// The most bytes `normalise` writes: «+» and 15 digits.
    static let maxLength = 16

    static func normalise(_ value: String) throws(TransformFailure) -> String {
        try value.withUTF8Bytes { (bytes) throws(TransformFailure) in
            try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxLength) {
                (out) throws(TransformFailure) -> String in
                guard let base = out.baseAddress else { return "" }
                let count = try normalise(bytes, into: base)
                return String(decoding: UnsafeBufferPointer(rebasing: out[..<count]), as: UTF8.self)
            }
        }
    }

    /// Writes the number to `out` (room for `maxLength` bytes) and returns how many bytes it wrote.
    static func normalise(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>)
        throws(TransformFailure) -> Int
    {
        // `count` counts «+» and every digit; digits past the room are counted, not written, so a long
        // number still gets its length in the error.
        out[0] = UInt8(ascii: "+")
        var count = 1
        var hasPlus = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if count < maxLength { out[count] = byte }
                count += 1
            case UInt8(ascii: "+"):
                guard count == 1 && !hasPlus else {
                    throw TransformFailure("not a phone number: «+» may only start it")
                }
                hasPlus = true
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."), 0x09:
                break
            default:
                let skip = TextTransforms.whitespaceLength(bytes, at: index)
                guard skip > 0 else {
                    throw TransformFailure(
                        "not a phone number: only digits, spaces, + ( ) - are allowed; put extensions or notes "
                            + "in another column")
                }
                index += skip - 1
            }
            index += 1
        }
        guard count > 10 else {
            throw TransformFailure("phone number too short (\(count - 1) digits; at least 10 with the country code)")
        }
        if !hasPlus {
            // Russian habits: a trunk "8" or a bare 10-digit mobile number means +7.
            if count == 12 && (out[1] == UInt8(ascii: "8") || out[1] == UInt8(ascii: "7")) {
                out[1] = UInt8(ascii: "7")
            } else if count == 11 && out[1] == UInt8(ascii: "9") {
                for position in stride(from: 11, through: 2, by: -1) { out[position] = out[position - 1] }
                out[1] = UInt8(ascii: "7")
                count += 1
            } else {
                throw TransformFailure(
                    "phone number without a country code: write it with «+» and the country code (e.g. +7…)")
            }
        }
        guard count <= maxLength else {
            throw TransformFailure("phone number too long (\(count - 1) digits; at most 15)")
        }
        return count
    }
}
