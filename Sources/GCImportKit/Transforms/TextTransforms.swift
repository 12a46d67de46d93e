// trim / lower / upper / collapse_spaces. Excel exports are full of non-breaking and thin spaces, so
// "whitespace" here includes them, not just ASCII.

/// The plain text transforms, as byte loops so the common ASCII and Cyrillic cases stay cheap.
enum TextTransforms {
    /// The length of the whitespace sequence starting at `index` (0 when none): ASCII space, tab, CR, LF,
    /// NBSP U+00A0, thin space U+2009, narrow NBSP U+202F, BOM U+FEFF.
    @inline(__always)
    static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D: return 1
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0xA0 ? 2 : 0
        case 0xE2:
            guard index + 2 < bytes.count, bytes[index + 1] == 0x80 else { return 0 }
            return bytes[index + 2] == 0x89 || bytes[index + 2] == 0xAF ? 3 : 0
        case 0xEF:
            return index + 2 < bytes.count && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF ? 3 : 0
        default: return 0
        }
    }

    /// Whether the text is empty or only whitespace: such a cell counts as empty.
    static func isBlank(_ value: String) -> Bool {
        guard let first = firstByte(value) else { return true }
        // Most cells start with a byte no whitespace sequence starts with: answer without the byte loop.
        if !mayStartWhitespace(first) { return false }
        var copy = value
        return copy.withUTF8(isBlank)
    }

    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let length = whitespaceLength(bytes, at: index)
            if length == 0 { return false }
            index += length
        }
        return true
    }

    /// The first and last UTF-8 byte by index: `utf8.first` and `utf8.last` were out-of-line generic calls,
    /// two per cell.
    @inline(__always)
    static func firstByte(_ value: String) -> UInt8? {
        let utf8 = value.utf8
        return utf8.isEmpty ? nil : utf8[utf8.startIndex]
    }

    @inline(__always)
    static func lastByte(_ value: String) -> UInt8? {
        let utf8 = value.utf8
        return utf8.isEmpty ? nil : utf8[utf8.index(before: utf8.endIndex)]
    }

    /// Whether a whitespace sequence (see `whitespaceLength`) can start with `byte`.
    @inline(__always)
    static func mayStartWhitespace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, 0xC2, 0xE2, 0xEF: true
        default: false
        }
    }

    /// Whether a whitespace sequence can end with `byte`.
    @inline(__always)
    static func mayEndWhitespace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x89, 0xAF, 0xBF: true
        default: false
        }
    }

    static func trim(_ value: String) -> String {
        // Most cells neither start nor end with whitespace: return them as they are without the byte loops.
        guard let first = firstByte(value), let last = lastByte(value) else { return value }
        if !mayStartWhitespace(first) && !mayEndWhitespace(last) { return value }
        var copy = value
        return copy.withUTF8 { bytes -> String in
            let trimmed = trim(bytes)
            if trimmed.count == bytes.count { return value }
            return String(decoding: trimmed, as: UTF8.self)
        }
    }

    /// The bytes without leading and trailing whitespace (a slice of `bytes`).
    static func trim(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let first = bytes.first, let last = bytes.last,
            mayStartWhitespace(first) || mayEndWhitespace(last)
        else { return bytes }
        var start = 0
        while start < bytes.count {
            let length = whitespaceLength(bytes, at: start)
            if length == 0 { break }
            start += length
        }
        var end = bytes.count
        while end > start {
            // Whitespace ends in one of these bytes; step back over the whole sequence.
            var matched = 0
            for length in 1...3 where end - length >= start && whitespaceLength(bytes, at: end - length) == length {
                matched = length
                break
            }
            if matched == 0 { break }
            end -= matched
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Trims, and turns every inner run of whitespace into one ASCII space.
    static func collapseSpaces(_ value: String) -> String {
        var copy = value
        return copy.withUTF8 { bytes -> String in
            guard !bytes.isEmpty else { return "" }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                guard let base = out.baseAddress else { return 0 }
                return collapseSpaces(bytes, into: base)
            }
        }
    }

    /// Writes the collapsed `bytes` to `out` (room for `bytes.count`) and returns how many it wrote.
    static func collapseSpaces(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0
        var index = 0
        var pendingSpace = false
        while index < bytes.count {
            let length = whitespaceLength(bytes, at: index)
            if length > 0 {
                pendingSpace = written > 0
                index += length
                continue
            }
            if pendingSpace {
                out[written] = 0x20
                written += 1
                pendingSpace = false
            }
            out[written] = bytes[index]
            written += 1
            index += 1
        }
        return written
    }

    static func lower(_ value: String) -> String {
        isASCII(value) ? asciiMapped(value, from: 0x41...0x5A) : value.lowercased()
    }

    static func upper(_ value: String) -> String {
        isASCII(value) ? asciiMapped(value, from: 0x61...0x7A) : value.uppercased()
    }

    /// Up to 8 bytes and their count: a short cell as one comparable value.
    typealias PackedBytes = (bits: UInt64, count: Int)

    /// The bytes of a cell of at most 8 bytes, lowercased and packed (first byte lowest), when it is made
    /// of ASCII and the Russian alphabet (А–Я, Ё) only; nil for anything else (the caller then falls back
    /// to Unicode `lowercased()`).
    static func packedLowercase(_ bytes: UnsafeBufferPointer<UInt8>) -> PackedBytes? {
        guard bytes.count <= 8 else { return nil }
        var bits: UInt64 = 0
        var count = 0
        func put(_ byte: UInt8) {
            bits |= UInt64(byte) << (8 * count)
            count += 1
        }
        func put(_ lead: UInt8, _ trail: UInt8) {
            put(lead)
            put(trail)
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                put(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            let next = bytes[index + 1]
            switch (byte, next) {
            case (0xD0, 0x90...0x9F): put(0xD0, next + 0x20)  // А–П → а–п
            case (0xD0, 0xA0...0xAF): put(0xD1, next - 0x20)  // Р–Я → р–я
            case (0xD0, 0x81): put(0xD1, 0x91)  // Ё → ё
            case (0xD0, 0xB0...0xBF), (0xD1, 0x80...0x8F), (0xD1, 0x91): put(byte, next)
            default: return nil
            }
            index += 2
        }
        return (bits, count)
    }

    static func isASCII(_ value: String) -> Bool {
        var copy = value
        return copy.withUTF8 { bytes in
            for byte in bytes where byte >= 0x80 { return false }
            return true
        }
    }

    /// Flips the case of the ASCII letters in `range` (A–Z or a–z) without the Unicode machinery; returns
    /// the string itself when nothing changes (no allocation).
    private static func asciiMapped(_ value: String, from range: ClosedRange<UInt8>) -> String {
        var copy = value
        return copy.withUTF8 { bytes -> String in
            guard let first = bytes.firstIndex(where: { range.contains($0) }) else { return value }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    out[index] = index >= first && range.contains(byte) ? byte ^ 0x20 : byte
                }
                return bytes.count
            }
        }
    }

    /// Cuts `value` at any of the ASCII `separators` and trims each piece (group lists like «A, B; C»).
    static func split(_ value: String, on separators: [UInt8]) -> [String] {
        var copy = value
        return copy.withUTF8 { bytes -> [String] in
            // Usually one group and no separator: the cell itself, trimmed, without a new string.
            if !bytes.contains(where: separators.contains) { return bytes.isEmpty ? [] : [trim(value)] }
            var pieces: [String] = []
            // Sized once (separators + 1) instead of growing piece by piece.
            pieces.reserveCapacity(bytes.reduce(1) { separators.contains($1) ? $0 + 1 : $0 })
            var start = 0
            for index in 0...bytes.count where index == bytes.count || separators.contains(bytes[index]) {
                if index > start {
                    pieces.append(
                        trim(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)))
                }
                start = index + 1
            }
            return pieces
        }
    }
}
