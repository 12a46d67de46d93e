/// A UTF-8 check that says where the first bad byte is, and lets a sequence cut by the end of a window
/// continue in the next one (for sniffing a file in chunks).
package enum UTF8Validation {
    enum Outcome: Equatable {
        /// Valid up to `validCount`; the bytes after it (at most 3) start a sequence the window cut.
        case valid(validCount: Int)
        /// The byte at `offset` starts an invalid sequence.
        case invalid(offset: Int)
    }

    static func check(_ bytes: UnsafeRawBufferPointer, isFinal: Bool) -> Outcome {
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                // Eight ASCII bytes at a time: most CSV bytes are ASCII.
                if word & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
                // Four two-byte sequences at a time (a run of Cyrillic): leads 110xxxxx of at least 0xC2 (some
                // of bits 1–4 set), each followed by a 10xxxxxx.
                let leadBits = word & 0x001E_001E_001E_001E
                if word & 0xC0E0_C0E0_C0E0_C0E0 == 0x80C0_80C0_80C0_80C0,
                    (leadBits &+ 0x7FFF_7FFF_7FFF_7FFF) & 0x8000_8000_8000_8000 == 0x8000_8000_8000_8000
                {
                    index += 8
                    continue
                }
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // Two-byte sequences (Cyrillic, Latin-1) are most of the non-ASCII text here: one check each.
            if lead >= 0xC2 && lead <= 0xDF && index + 1 < count {
                guard bytes[index + 1] & 0xC0 == 0x80 else { return .invalid(offset: index) }
                index += 2
                continue
            }
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            let trailing: Int
            switch lead {
            case 0xC2...0xDF: trailing = 1
            case 0xE0:
                trailing = 2
                low = 0xA0
            case 0xED:
                trailing = 2
                high = 0x9F
            case 0xE1...0xEC, 0xEE...0xEF: trailing = 2
            case 0xF0:
                trailing = 3
                low = 0x90
            case 0xF4:
                trailing = 3
                high = 0x8F
            case 0xF1...0xF3: trailing = 3
            default: return .invalid(offset: index)
            }
            let available = min(trailing, count - index - 1)
            for step in 0..<available {
                let byte = bytes[index + 1 + step]
                let ok = step == 0 ? (low...high).contains(byte) : (0x80...0xBF).contains(byte)
                if !ok { return .invalid(offset: index) }
            }
            if available < trailing {
                return isFinal ? .invalid(offset: index) : .valid(validCount: index)
            }
            index += trailing + 1
        }
        return .valid(validCount: count)
    }

    /// Offset of the first invalid byte, or nil when all of `bytes` is UTF-8.
    package static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if case .invalid(let offset) = check(UnsafeRawBufferPointer(bytes), isFinal: true) { return offset }
        return nil
    }

    /// The length of `bytes` without a multi-byte sequence cut off at its end (after a field was capped).
    static func lengthWithoutCutSequence(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = bytes.count
        // Walk back over at most 3 continuation bytes to the lead byte of the last sequence.
        while start > 0, bytes.count - start < 4 {
            start -= 1
            let byte = bytes[start]
            if byte & 0xC0 != 0x80 { break }
        }
        guard start < bytes.count, bytes[start] >= 0xC0 else { return bytes.count }
        let lead = bytes[start]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        return bytes.count - start < length ? start : bytes.count
    }
}

extension UTF8Validation {
    /// Whether every byte is below 0x80.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var bits: UInt64 = 0
        while index + 8 <= bytes.count {
            bits |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            bits |= UInt64(bytes[index])
            index += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }
}
