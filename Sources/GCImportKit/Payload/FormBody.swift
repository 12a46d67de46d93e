/// The `application/x-www-form-urlencoded` body of an import call: `action=…&key=…&params=…`.
///
/// `params` is base64 of the JSON, and the base64 must itself be percent-encoded (`+ / =`), or GetCourse
/// answers «Не указаны параметры».
package enum FormBody {
    static let contentType = "application/x-www-form-urlencoded"

    static func encode(action: String, key: String, params: [UInt8]) -> [UInt8] {
        build(action: action, params: params) { percentEncode(key.utf8, into: &$0) }
    }

    /// The body with the key shown as `***`, for showing to people.
    static func masked(action: String, params: [UInt8]) -> String {
        String(decoding: build(action: action, params: params) { $0.append(contentsOf: "***".utf8) }, as: UTF8.self)
    }

    private static func build(action: String, params: [UInt8], key: (inout [UInt8]) -> Void) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(params.count * 2 + 64)
        append(action: action, params: params, to: &body, key: key)
        return body
    }

    private static func append(
        action: String, params: [UInt8], to body: inout [UInt8], key: (inout [UInt8]) -> Void
    ) {
        body.append(contentsOf: "action=".utf8)
        percentEncode(action.utf8, into: &body)
        body.append(contentsOf: "&key=".utf8)
        key(&body)
        body.append(contentsOf: "&params=".utf8)
        Base64.appendPercentEncoded(params, to: &body)
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func percentEncode(_ bytes: some Sequence<UInt8>, into out: inout [UInt8]) {
        for byte in bytes {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}

/// Standard base64 (RFC 4648, with padding) over bytes, without a Foundation round trip on the hot path.
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// For each 6-bit value: its base64 character as it must appear in a form, packed little-endian in the
    /// low bytes, with the length (1 or 3) in the top byte. `+` `/` become `%2B` `%2F`.
    private static let percentTable: [UInt32] = alphabet.map { char in
        switch char {
        case UInt8(ascii: "+"): 3 << 24 | 0x42_32_25  // "%2B"
        case UInt8(ascii: "/"): 3 << 24 | 0x46_32_25  // "%2F"
        default: 1 << 24 | UInt32(char)
        }
    }

    /// The same for each 12-bit value: its two characters together (2 to 6 bytes, little-endian in the low
    /// bytes), the length in the top byte; 32 KiB, so a 3-byte group takes two loads and two stores.
    private static let pairTable: [UInt64] = (0..<4096).map { value in
        let first = UInt64(percentTable[value >> 6])
        let second = UInt64(percentTable[value & 63])
        let firstLength = first >> 24
        let secondLength = second >> 24
        let bytes = (first & 0xFF_FFFF) | (second & 0xFF_FFFF) << (8 * firstLength)
        return (firstLength + secondLength) << 56 | bytes
    }

    /// Appends the base64 of `input`, percent-encoded for a form (`+` `/` `=` as `%2B` `%2F` `%3D`), in one
    /// pass over unsafe buffers: this runs for every row of a dry run and every request of a run. Each pair of
    /// output characters is one table load and one 8-byte store, advancing by its length (no branches).
    static func appendPercentEncoded(_ input: [UInt8], to out: inout [UInt8]) {
        let groups = (input.count + 2) / 3
        let start = out.count
        // Worst case every character is escaped, plus spare bytes for the last 8-byte store.
        let worst = groups * 12 + 8
        var written = start
        percentTable.withUnsafeBufferPointer { table in
            pairTable.withUnsafeBufferPointer { pairs in
                input.withUnsafeBufferPointer { source in
                    out.reserveCapacity(start + worst)
                    out.append(contentsOf: repeatElement(0, count: worst))
                    out.withUnsafeMutableBufferPointer { buffer in
                        guard let base = buffer.baseAddress, let table = table.baseAddress,
                            let pairs = pairs.baseAddress
                        else { return }
                        var target = UnsafeMutableRawPointer(base + start)
                        @inline(__always) func put(_ sextet: UInt32) {
                            let entry = table[Int(sextet & 63)]
                            target.storeBytes(of: entry.littleEndian, as: UInt32.self)
                            target += Int(entry >> 24)
                        }
                        @inline(__always) func putPair(_ twelveBits: UInt32) {
                            let entry = pairs[Int(twelveBits & 4095)]
                            target.storeBytes(of: entry.littleEndian, as: UInt64.self)
                            target += Int(entry >> 56)
                        }
                        var index = 0
                        let count = source.count
                        while index + 3 <= count {
                            let value =
                                UInt32(source[index]) << 16 | UInt32(source[index + 1]) << 8 | UInt32(source[index + 2])
                            putPair(value >> 12)
                            putPair(value)
                            index += 3
                        }
                        let rest = count - index
                        if rest > 0 {
                            var value = UInt32(source[index]) << 16
                            if rest == 2 { value |= UInt32(source[index + 1]) << 8 }
                            put(value >> 18)
                            put(value >> 12)
                            if rest == 2 {
                                put(value >> 6)
                            } else {
                                target.storeBytes(of: UInt32(0x44_33_25).littleEndian, as: UInt32.self)  // "%3D"
                                target += 3
                            }
                            target.storeBytes(of: UInt32(0x44_33_25).littleEndian, as: UInt32.self)
                            target += 3
                        }
                        written = target - UnsafeMutableRawPointer(base)
                    }
                }
            }
        }
        out.removeLast(out.count - written)
    }

}
