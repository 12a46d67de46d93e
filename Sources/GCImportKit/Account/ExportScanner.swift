import CSVReader

/// Reads a large account answer straight from its bytes, without a tree of every value: an export of a
/// whole school is millions of cells, a tree of them held many times the body's size, and `verify` reads
/// a few columns (BENCHMARKS.md, section 6). The whole document is still checked: a truncated body is
/// refused, as before.
struct ExportScanner {
    private let bytes: [UInt8]
    private var at = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// `info.fields` and `info.items` of an export answer; only the cells of the columns `keeping` picks
    /// from the titles are read into strings. Nil when the body is not JSON or has no such table.
    static func table(_ body: [UInt8], keeping: (([String]) -> [Int])? = nil) -> ExportTable? {
        guard isUTF8(body) else { return nil }
        var scanner = ExportScanner(body)
        guard let info = scanner.members(of: scanner.topLevelRange(named: "info")?.lowerBound),
            let fieldsAt = info["fields"], let itemsAt = info["items"]
        else { return nil }
        scanner.at = fieldsAt
        guard let fields = scanner.scalarArray() else { return nil }
        let kept = keeping?(fields)
        scanner.at = itemsAt
        guard let items = scanner.rows(keeping: kept, width: fields.count) else { return nil }
        return ExportTable(fields: fields, items: items, kept: kept)
    }

    /// The body with the top-level `info` replaced by `null`: what the envelope's decoder needs of an
    /// export answer. Nil when the body is not one valid JSON object.
    static func envelope(_ body: [UInt8]) -> [UInt8]? {
        guard isUTF8(body) else { return nil }
        var scanner = ExportScanner(body)
        guard let range = scanner.topLevelRange(named: "info") else {
            return scanner.isValidDocument() ? body : nil
        }
        return Array(body[..<range.lowerBound]) + Array("null".utf8) + Array(body[range.upperBound...])
    }

    /// Checked once for the whole body, so strings need no check of their own.
    private static func isUTF8(_ body: [UInt8]) -> Bool {
        body.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) == nil }
    }

    // MARK: Document structure

    /// The byte range of top-level member `name`'s value, after checking the whole document; nil when
    /// the document is not one valid object or has no such member.
    private mutating func topLevelRange(named name: String) -> Range<Int>? {
        at = 0
        skipSpace()
        var found: Range<Int>?
        let key = Array(name.utf8)
        guard
            objectMembers({ (scanner, memberKey) in
                let start = scanner.at
                guard scanner.skipValue() else { return false }
                if found == nil, memberKey == key { found = start..<scanner.at }
                return true
            })
        else { return nil }
        skipSpace()
        guard at == bytes.count else { return nil }
        return found
    }

    private mutating func isValidDocument() -> Bool {
        at = 0
        skipSpace()
        guard skipValue() else { return false }
        skipSpace()
        return at == bytes.count
    }

    /// Where each member's value of the object at `start` begins (the first of a repeated key).
    private mutating func members(of start: Int?) -> [String: Int]? {
        guard let start else { return nil }
        at = start
        var found: [String: Int] = [:]
        let ok = objectMembers { (scanner, key) in
            let name = String(decoding: key, as: UTF8.self)
            if found[name] == nil { found[name] = scanner.at }
            return scanner.skipValue()
        }
        return ok ? found : nil
    }

    /// Walks an object's members; `value` is called with the scanner at each value and must consume it.
    private mutating func objectMembers(_ value: (inout ExportScanner, [UInt8]) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        skipSpace()
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            skipSpace()
            guard let key = rawString() else { return false }
            skipSpace()
            guard consume(UInt8(ascii: ":")) else { return false }
            skipSpace()
            guard value(&self, key) else { return false }
            skipSpace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// Walks an array's elements; `element` is called with the scanner at each one and must consume it.
    private mutating func arrayElements(_ element: (inout ExportScanner, Int) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        skipSpace()
        if consume(UInt8(ascii: "]")) { return true }
        var index = 0
        while true {
            skipSpace()
            guard element(&self, index) else { return false }
            index += 1
            skipSpace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    // MARK: The table

    private mutating func scalarArray() -> [String]? {
        var values: [String] = []
        let ok = arrayElements { (scanner, _) in
            guard let value = scanner.cell() else { return false }
            values.append(value)
            return true
        }
        return ok ? values : nil
    }

    /// The rows of `items`, each holding the kept columns' cells in `kept` order (all cells without `kept`).
    /// An element that is not an array is an empty row, as it always was.
    private mutating func rows(keeping kept: [Int]?, width: Int) -> [[String]]? {
        let position = kept.map { ExportTable.slots(kept: $0, width: width) } ?? []
        var rows: [[String]] = []
        let ok = arrayElements { (scanner, _) in
            guard scanner.peek == UInt8(ascii: "[") else {
                rows.append([])
                return scanner.skipValue()
            }
            var row: [String] = kept.map { Array(repeating: "", count: $0.count) } ?? []
            let read = scanner.arrayElements { (scanner, column) in
                guard kept != nil else {
                    guard let value = scanner.cell() else { return false }
                    row.append(value)
                    return true
                }
                guard column < position.count, position[column] >= 0 else { return scanner.skipValue() }
                guard let value = scanner.cell() else { return false }
                row[position[column]] = value
                return true
            }
            rows.append(row)
            return read
        }
        return ok ? rows : nil
    }

    /// One cell as text: strings as they are, numbers as `LenientScalar` writes them, `true`/`false` as
    /// `1`/`0`, null and nested values as empty.
    private mutating func cell() -> String? {
        guard let byte = peek else { return nil }
        switch byte {
        case UInt8(ascii: "\""):
            return string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let isTrue = byte == UInt8(ascii: "t")
            return skipValue() ? (isTrue ? "1" : "0") : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = at
            guard skipNumber() else { return nil }
            let literal = String(decoding: bytes[start..<at], as: UTF8.self)
            if let whole = Int(literal) { return String(whole) }
            // An integer too long for Int is an id written out, not a quantity: kept as written.
            if literal.utf8.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "-") }) { return literal }
            return Double(literal).map(LenientScalar.text(of:))
        default:
            return skipValue() ? "" : nil
        }
    }

    // MARK: Values

    private var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        at += 1
        return true
    }

    private mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { at += 1 }
    }

    /// Skips one value, checking its syntax. Nesting is bounded: a body of 100,000 `[` must not exhaust
    /// the stack.
    private mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < 512, let byte = peek else { return false }
        switch byte {
        case UInt8(ascii: "\""):
            return rawString(keep: false) != nil
        case UInt8(ascii: "{"):
            return objectMembers { (scanner, _) in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            return arrayElements { (scanner, _) in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return skipNumber()
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard at + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[at + offset] != word.utf8Start[offset] { return false }
        at += count
        return true
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func skipNumber() -> Bool {
        _ = consume(UInt8(ascii: "-"))
        guard let first = peek, isDigit(first) else { return false }
        at += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if consume(UInt8(ascii: ".")) {
            guard let byte = peek, isDigit(byte) else { return false }
            skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            at += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
            guard let byte = peek, isDigit(byte) else { return false }
            skipDigits()
        }
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while let byte = peek, isDigit(byte) { at += 1 }
    }

    /// A string's bytes, unescaped (empty when `keep` is false: a skipped string allocates nothing); nil
    /// when it is not a valid JSON string.
    private mutating func rawString(keep: Bool = true) -> [UInt8]? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = at
        // The common case, no escape: one slice.
        while let byte = peek, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { at += 1 }
        if peek == UInt8(ascii: "\"") {
            at += 1
            return keep ? Array(bytes[start..<at - 1]) : []
        }
        var out = keep ? Array(bytes[start..<at]) : []
        while let byte = peek {
            at += 1
            switch byte {
            case UInt8(ascii: "\""):
                return out
            case UInt8(ascii: "\\"):
                guard unescape(into: &out) else { return nil }
                if !keep { out.removeAll(keepingCapacity: true) }
            case 0..<0x20:
                return nil
            default:
                if keep { out.append(byte) }
            }
        }
        return nil
    }

    private mutating func string() -> String? {
        rawString().map { String(decoding: $0, as: UTF8.self) }
    }

    /// After a backslash: appends the escaped character's UTF-8.
    private mutating func unescape(into out: inout [UInt8]) -> Bool {
        guard let byte = peek else { return false }
        at += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            guard var scalar = hex4() else { return false }
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by `\u` and a low one.
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")), let low = hex4(),
                    (0xDC00..<0xE000).contains(low)
                else { return false }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                return false
            }
            guard let unicode = Unicode.Scalar(scalar), let encoded = UTF8.encode(unicode) else { return false }
            out.append(contentsOf: encoded)
        default:
            return false
        }
        return true
    }

    private mutating func hex4() -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexDigit(bytes[at]) else { return nil }
            value = value << 4 | digit
            at += 1
        }
        return value
    }

    private func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
