/// Text that was decoded with the wrong table somewhere along the way: «РђРЅРЅР°» is UTF-8 «Анна» read as
/// Windows-1251. Such values are valid text, so nothing else notices; imported, they stay garbled.
package enum Mojibake {
    package enum Kind: String, Sendable, CaseIterable, Codable {
        /// «РђРЅРЅР°»: UTF-8 bytes read as Windows-1251 (by this reader, or before the file was made).
        case utf8ReadAsWindows1251 = "utf8_read_as_windows1251"
        /// «ÐÐ½Ð½Ð°»: UTF-8 bytes read as Latin-1 or Windows-1252 before the file was made.
        case utf8ReadAsLatin1 = "utf8_read_as_latin1"
        /// «Àííà»: Windows-1251 bytes read as Latin-1 or Windows-1252 before the file was made.
        case windows1251ReadAsLatin1 = "windows1251_read_as_latin1"
        /// «Анна��»: U+FFFD in a value that was read without error, the mark of characters already lost by an
        /// earlier conversion.
        case lostCharacters = "lost_characters"

        /// What happened, for a warning.
        package var explanation: String {
            switch self {
            case .utf8ReadAsWindows1251: "UTF-8 text read as Windows-1251"
            case .utf8ReadAsLatin1: "UTF-8 text read as Latin-1 before the file was made"
            case .windows1251ReadAsLatin1: "Windows-1251 text read as Latin-1 before the file was made"
            case .lostCharacters: "characters replaced by � (U+FFFD) by an earlier conversion"
            }
        }
    }

    package struct Suspect: Sendable, Equatable {
        package var kind: Kind
        /// The value decoded with the right table (the value itself for `lostCharacters`).
        package var repaired: String
    }

    /// The kind of garbling `text` shows, or nil when it reads as ordinary text. Checked per value in the
    /// dry run, so ASCII, and Cyrillic with none of the byte pairs garbling leaves, return at first sight.
    package static func suspect(_ text: String) -> Suspect? {
        // Most values show no sign: read in place, without the copy `withUTF8` needs.
        var signs =
            text.utf8.withContiguousStorageIfAvailable(Self.signs(in:))
            ?? {
                var copy = text
                return copy.withUTF8(Self.signs(in:))
            }()
        guard signs != 0 else { return nil }
        var text = text
        if signs & lostSign != 0 { return Suspect(kind: .lostCharacters, repaired: text) }
        // Ordinary Russian has «Р» «С» «Т» «У» too; most of it fails the cheap test below without a copy.
        if signs & windows1251Sign != 0, !text.withUTF8(Self.mayBeUTF8InWindows1251) { signs &= ~windows1251Sign }
        if signs & windows1251Sign != 0, let bytes = Windows1251.encodeExactly(text),
            let repaired = cyrillicUTF8(bytes)
        {
            return Suspect(kind: .utf8ReadAsWindows1251, repaired: repaired)
        }
        guard signs & latinSign != 0, let bytes = latin1Bytes(text) else { return nil }
        if let repaired = cyrillicUTF8(bytes) { return Suspect(kind: .utf8ReadAsLatin1, repaired: repaired) }
        if looksLikeWindows1251(bytes) {
            let repaired = bytes.withUnsafeBufferPointer { Windows1251.decode($0) }
            return Suspect(kind: .windows1251ReadAsLatin1, repaired: repaired)
        }
        return nil
    }

    /// Whether any field of `row` (UTF-8) may be garbled: `suspect` returns nil for every field of a row this
    /// says no to. The same first sight as `suspect`, without a string per field, and over the whole row at
    /// once: its fields lie back to back, each ended by a 0 byte, which no sign holds or straddles (a sign's
    /// bytes are one UTF-8 sequence), so one scan finds every field's signs, and only a field holding «Р»–«У»
    /// is looked at alone.
    package static func mayBeSuspect(_ row: CSVRawRecord) -> Bool {
        guard row.maySignMojibake, row.count > 0 else { return false }
        var field = 0
        var checked = -1
        return visitSigns(in: UnsafeBufferPointer(start: row.start, count: row.end(of: row.count - 1))) {
            position, sign in
            guard sign == windows1251Sign else { return true }
            while row.end(of: field) < position { field += 1 }
            guard field != checked else { return false }
            checked = field
            return mayBeUTF8InWindows1251(row[field])
        }
    }

    // MARK: First sight

    private static let windows1251Sign = 1
    private static let latinSign = 2
    private static let lostSign = 4

    /// UTF-8 pairs that garbled text cannot avoid: «Р» «С» «Т» «У» (the Windows-1251 reading of the lead
    /// bytes of Cyrillic UTF-8), any Latin-1 letter, and U+FFFD.
    /// Eight bytes at a time, a word without any byte a sign needs (0xA0–0xA3, 0xC3, 0xEF) is passed over:
    /// that is most words of Russian text, where «Р» «С» «Т» «У» are rare among the letters.
    private static func signs(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var found = 0
        _ = visitSigns(in: bytes) { _, sign in
            found |= sign
            return false
        }
        return found
    }

    /// Calls `visit` with the offset and kind of each sign in `bytes`, in order, until it returns true;
    /// returns whether it did.
    @inline(__always)
    private static func visitSigns(
        in bytes: UnsafeBufferPointer<UInt8>, _ visit: (_ position: Int, _ sign: Int) -> Bool
    ) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let count = bytes.count
        var index = 0
        // Positions before this one were looked at.
        var seen = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if mayHoldSign(word) {
                // The pair may start on the byte before the word.
                for position in max(index - 1, seen)..<(index + 8) {
                    let sign = sign(at: position, base, count)
                    if sign != 0 && visit(position, sign) { return true }
                }
                seen = index + 8
            }
            index += 8
        }
        for position in max(index - 1, seen)..<count {
            let sign = sign(at: position, base, count)
            if sign != 0 && visit(position, sign) { return true }
        }
        return false
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `word` is 0xA0–0xA3, 0xC3 or 0xEF (exact for "any", by the SWAR zero-byte test).
    @inline(__always)
    private static func mayHoldSign(_ word: UInt64) -> Bool {
        let cyrillic = word ^ (ones &* 0xA0)  // 0xA0–0xA3 become 0–3
        let latin = word ^ (ones &* 0xC3)
        let lost = word ^ (ones &* 0xEF)
        let below4 = (cyrillic &- ones &* 4) & ~cyrillic & highs
        let zero = ((latin &- ones) & ~latin & highs) | ((lost &- ones) & ~lost & highs)
        return below4 | zero != 0
    }

    /// The sign that starts at `index`, if any.
    @inline(__always)
    private static func sign(at index: Int, _ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        guard index + 1 < count else { return 0 }
        let byte = base[index]
        if byte < 0xC3 { return 0 }
        let next = base[index + 1]
        if byte == 0xD0, (0xA0...0xA3).contains(next) { return windows1251Sign }
        if byte == 0xC3 { return latinSign }
        if byte == 0xEF, next == 0xBF, index + 2 < count, base[index + 2] == 0xBD { return lostSign }
        return 0
    }

    /// Whether the Windows-1251 bytes of `text` could be UTF-8: lead bytes followed by the right number of
    /// continuation bytes. A necessary condition only; the caller decodes in full when it holds. «Сергей»
    /// fails at its second letter (0xD1 then 0xE5).
    private static func mayBeUTF8InWindows1251(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var pending = 0
        var index = 0
        let count = text.count
        while index < count {
            let lead = text[index]
            let byte: UInt8
            if lead < 0x80 {
                byte = lead
                index += 1
            } else if lead & 0xE0 == 0xC0, index + 1 < count {
                let scalar = UInt32(lead & 0x1F) << 6 | UInt32(text[index + 1] & 0x3F)
                index += 2
                if (0x0410...0x044F).contains(scalar) {
                    byte = UInt8(0xC0 + scalar - 0x0410)
                } else if let position = Windows1251.highHalf.firstIndex(of: UInt16(scalar)) {
                    byte = UInt8(0x80 + position)
                } else {
                    return false
                }
            } else if lead & 0xF0 == 0xE0, index + 2 < count {
                let scalar =
                    UInt32(lead & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F)
                index += 3
                guard let position = Windows1251.highHalf.firstIndex(of: UInt16(scalar)) else { return false }
                byte = UInt8(0x80 + position)
            } else {
                return false
            }
            if pending > 0 {
                guard byte & 0xC0 == 0x80 else { return false }
                pending -= 1
            } else if byte >= 0x80 {
                switch byte {
                case 0xC2...0xDF: pending = 1
                case 0xE0...0xEF: pending = 2
                case 0xF0...0xF4: pending = 3
                default: return false
                }
            }
        }
        return pending == 0
    }

    // MARK: Decoding again

    /// The text of `bytes` when they are UTF-8 with some Cyrillic and no non-ASCII character outside
    /// Cyrillic and Russian punctuation; nil otherwise. Ordinary Russian text re-encoded practically never
    /// passes: its lower-case letters are bytes 0xE0–0xFF, which UTF-8 only allows before continuations.
    private static func cyrillicUTF8(_ bytes: [UInt8]) -> String? {
        let valid = bytes.withUnsafeBytes { raw in
            UTF8Validation.check(raw, isFinal: true) == .valid(validCount: raw.count)
        }
        guard valid else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        var cyrillic = 0
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            switch scalar.value {
            case 0x0400...0x045F, 0x0490, 0x0491: cyrillic += 1
            case 0xA0, 0xAB, 0xBB, 0x2013, 0x2014, 0x2116, 0x2019, 0x201C, 0x201D, 0x2026: continue
            default: return nil
            }
        }
        return cyrillic > 0 ? text : nil
    }

    /// Windows-1251 read as Latin-1 gives runs of accented capitals and small letters (À-ÿ) with hardly
    /// any plain letters between them; a French or German name has one or two among many plain ones.
    private static func looksLikeWindows1251(_ bytes: [UInt8]) -> Bool {
        var high = 0
        var plain = 0
        var run = 0
        var longestRun = 0
        for byte in bytes {
            if byte >= 0xC0, byte != 0xD7, byte != 0xF7 {
                high += 1
                run += 1
                longestRun = max(longestRun, run)
            } else {
                if (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) { plain += 1 }
                run = 0
            }
        }
        return longestRun >= 3 && high > 2 * plain
    }

    /// The bytes of `text` in Latin-1, with Windows-1252's characters for 0x80–0x9F; nil when a character
    /// is in neither.
    private static func latin1Bytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value <= 0xFF {
                bytes.append(UInt8(scalar.value))
            } else if let byte = windows1252High[scalar.value] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        return bytes
    }

    private static let windows1252High: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]
}
