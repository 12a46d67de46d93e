// phone: "+7 (900) 123-45-67", "8 900 123 45 67", "89001234567" all become "+79001234567". GetCourse matches
// users by phone too, so one spelling per number matters; junk is an error rather than a silent guess.

/// Normalises a phone number to `+` and digits (E.164 shape).
enum PhoneTransform {
    static func normalise(_ value: String) throws(TransformFailure) -> String {
        // The result's «+» first, so no second string is built; reserved before it is added, so the buffer is
        // allocated once (an array literal and then reserveCapacity allocated twice).
        var digits: [UInt8] = []
        digits.reserveCapacity(17)
        digits.append(UInt8(ascii: "+"))
        var hasPlus = false
        try value.withUTF8Bytes { (bytes) throws(TransformFailure) in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    digits.append(byte)
                case UInt8(ascii: "+"):
                    guard digits.count == 1 && !hasPlus else {
                        throw TransformFailure("not a phone number: «+» may only start it")
                    }
                    hasPlus = true
                case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."),
                    0x09:
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
        }
        guard digits.count > 10 else {
            throw TransformFailure(
                "phone number too short (\(digits.count - 1) digits; at least 10 with the country code)")
        }
        if !hasPlus {
            // Russian habits: a trunk "8" or a bare 10-digit mobile number means +7.
            if digits.count == 12 && (digits[1] == UInt8(ascii: "8") || digits[1] == UInt8(ascii: "7")) {
                digits[1] = UInt8(ascii: "7")
            } else if digits.count == 11 && digits[1] == UInt8(ascii: "9") {
                digits.insert(UInt8(ascii: "7"), at: 1)
            } else {
                throw TransformFailure(
                    "phone number without a country code: write it with «+» and the country code (e.g. +7…)")
            }
        }
        guard digits.count <= 16 else {
            throw TransformFailure("phone number too long (\(digits.count - 1) digits; at most 15)")
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
