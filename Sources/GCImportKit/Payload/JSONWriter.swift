// Hand-written JSON output: compact, keys in a fixed order, UTF-8 written raw (Cyrillic stays readable and
// short, not \u escapes). JSONSerialization/JSONEncoder would cost more than the whole rest of a row, so
// the reports use ReportJSON and only payloads and ledger lines come through here.

import CSVReader

/// Appends JSON tokens to a byte buffer. Callers write keys in the order they want them.
///
/// The buffer is raw memory the writer owns, not an `[UInt8]`: every append to an array paid a uniqueness
/// check, and each value an out-of-line `append(contentsOf:)` (BENCHMARKS.md, "Design choices, measured").
/// Non-copyable, so the memory has one owner;
/// `reset()` lets the dry run reuse one writer for every row of a batch.
struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    private var needsComma = false

    /// 512 by default: a 12-column user row's payload is ~370 bytes and a deal's ~390.
    init(capacity: Int = 512) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// A copy of what was written.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Forgets what was written, keeping the memory.
    mutating func reset() {
        count = 0
        needsComma = false
    }

    mutating func beginObject() {
        separate()
        put(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        put(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        put(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        put(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"key":`; the value written next belongs to it.
    mutating func key(_ key: String) {
        separate()
        appendString(key)
        put(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a key prepared by `keyBytes` (quoted, escaped, with the colon).
    mutating func rawKey(_ bytes: UnsafeBufferPointer<UInt8>) {
        separate()
        put(bytes)
        needsComma = false
    }

    /// `"key":` as bytes, for keys written on every row.
    static func keyBytes(_ key: String) -> [UInt8] {
        var writer = JSONWriter(capacity: key.utf8.count + 4)
        writer.key(key)
        return writer.bytes
    }

    mutating func string(_ value: String) {
        separate()
        appendString(value)
        needsComma = true
    }

    /// A string value given as its UTF-8 bytes (the byte-level mapping's values).
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) {
        separate()
        appendString(bytes)
        needsComma = true
    }

    /// A number given as the bytes of its decimal text (already checked by the caller).
    mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) {
        separate()
        put(bytes)
        needsComma = true
    }

    /// A number given as its decimal text (already checked by the caller).
    mutating func number(_ digits: String) {
        separate()
        var digits = digits
        digits.withUTF8 { put($0) }
        needsComma = true
    }

    mutating func number(_ value: Int) { number(String(value)) }

    mutating func null() {
        separate()
        put(literal: "null")
        needsComma = true
    }

    /// One byte outside the JSON grammar (a line's newline).
    mutating func rawByte(_ byte: UInt8) { put(byte) }

    @inline(__always)
    private mutating func separate() {
        if needsComma { put(UInt8(ascii: ",")) }
    }

    // MARK: The buffer

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toFit: extra) }
    }

    @inline(never)
    private mutating func grow(toFit extra: Int) {
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        memory.moveInitialize(from: base, count: count)
        base.deallocate()
        base = memory
        capacity = grown
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let length = bytes.count
        reserve(length)
        ByteCopy.copy(source, to: base + count, count: length)
        count += length
    }

    private mutating func put(literal: StaticString) {
        put(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func appendString(_ value: String) {
        var copy = value
        copy.withUTF8 { appendString($0) }
    }

    private mutating func appendString(_ source: UnsafeBufferPointer<UInt8>) {
        let length = source.count
        reserve(length + 2)
        base[count] = UInt8(ascii: "\"")
        count += 1
        // Most values need no escape: copied eight bytes at a time, each word checked on the way; the first
        // word (or tail byte) that needs one ends the fast copy.
        var clean = 0
        if let from = source.baseAddress {
            let to = base + count
            while clean + 8 <= length {
                let word = UnsafeRawPointer(from + clean).loadUnaligned(as: UInt64.self)
                if Self.needsEscape(word) { break }
                UnsafeMutableRawPointer(to + clean).storeBytes(of: word, as: UInt64.self)
                clean += 8
            }
            if clean + 8 > length {
                while clean < length && !Self.needsEscape(from[clean]) {
                    to[clean] = from[clean]
                    clean += 1
                }
            }
        }
        count += clean
        if clean < length {
            var start = clean
            for index in clean..<length where Self.needsEscape(source[index]) {
                put(UnsafeBufferPointer(rebasing: source[start..<index]))
                appendEscape(source[index])
                start = index + 1
            }
            put(UnsafeBufferPointer(rebasing: source[start..<length]))
        }
        put(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether any byte of `word` is a control character, `"` or `\\` (SWAR: a word has a zero byte iff
    /// `(w - 0x01…) & ~w & 0x80…` is non-zero; a byte below 0x20 likewise with `0x20…`).
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zero = ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs)
        return control | zero != 0
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func appendEscape(_ byte: UInt8) {
        put(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): put(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): put(UInt8(ascii: "\\"))
        case 0x0A: put(UInt8(ascii: "n"))
        case 0x0D: put(UInt8(ascii: "r"))
        case 0x09: put(UInt8(ascii: "t"))
        case 0x08: put(UInt8(ascii: "b"))
        case 0x0C: put(UInt8(ascii: "f"))
        default:
            put(literal: "u00")
            put(Self.hex[Int(byte >> 4)])
            put(Self.hex[Int(byte & 0x0F)])
        }
    }
}

/// A value `JSONWriter` writes as a JSON string: a `String`, or the UTF-8 bytes of one (the byte-level mapping).
protocol JSONStringValue {
    static func write(_ value: Self, to writer: inout JSONWriter)
}

extension String: JSONStringValue {
    static func write(_ value: String, to writer: inout JSONWriter) { writer.string(value) }
}

extension UnsafeBufferPointer: JSONStringValue where Element == UInt8 {
    static func write(_ value: Self, to writer: inout JSONWriter) { writer.string(value) }
}

extension JSONWriter {
    /// A `user.group_name` list: each group its name, or `[name, date]` when it has a date.
    mutating func groupList<Groups: Sequence, Text: JSONStringValue>(
        _ groups: Groups, name: (Groups.Element) -> Text, date: (Groups.Element) -> Text?
    ) {
        beginArray()
        for group in groups {
            if let date = date(group) {
                beginArray()
                Text.write(name(group), to: &self)
                Text.write(date, to: &self)
                endArray()
            } else {
                Text.write(name(group), to: &self)
            }
        }
        endArray()
    }
}

/// Re-indents compact JSON for people (`validate --show`), without parsing it into values.
enum JSONPrettyPrinter {
    static func format(_ compact: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(compact.count * 2)
        var depth = 0
        var inString = false
        var escaped = false
        func newline() {
            out.append(0x0A)
            out.append(contentsOf: [UInt8](repeating: 0x20, count: depth * 2))
        }
        for (index, byte) in compact.enumerated() {
            if inString {
                out.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                out.append(byte)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(byte)
                let next = index + 1 < compact.count ? compact[index + 1] : 0
                if next != UInt8(ascii: "}") && next != UInt8(ascii: "]") {
                    depth += 1
                    newline()
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let previous = index > 0 ? compact[index - 1] : 0
                if previous != UInt8(ascii: "{") && previous != UInt8(ascii: "[") {
                    depth -= 1
                    newline()
                }
                out.append(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                newline()
            case UInt8(ascii: ":"):
                out.append(contentsOf: ": ".utf8)
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
