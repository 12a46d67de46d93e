/// Parses the flat JSON object of one event line without a generic JSON decoder (a resume reads a million).
///
/// Accepts any key order, whitespace and unknown keys (skipped), so a ledger edited by hand or written by a
/// later version still reads; rejects anything that is not a flat object of strings, numbers, booleans and
/// nulls.
struct LedgerEventParser {
    struct Failure: Error {
        var reason: String
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    private init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    static func parse(_ bytes: ArraySlice<UInt8>) throws(Failure) -> LedgerEvent {
        var parser = LedgerEventParser(bytes)
        return try parser.parseObject()
    }

    /// What a resume needs of an event line.
    struct Essentials {
        var row: Int
        var state: RowState
        var attempt: Int?
    }

    /// The essentials of a line in the writer's own form (`{"row":N,"line":N,"state":"…"[,"attempt":N]…}`),
    /// read without building a string; nil for a line in any other form, which the full parser then reads.
    static func essentials(of bytes: ArraySlice<UInt8>) -> Essentials? {
        guard bytes.last == UInt8(ascii: "}") else { return nil }
        var index = bytes.startIndex
        func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard bytes.endIndex - index >= count else { return false }
            let matches = text.withUTF8Buffer { expected in
                expected.indices.allSatisfy { bytes[index + $0] == expected[$0] }
            }
            if matches { index += count }
            return matches
        }
        func number() -> Int? {
            var value = 0
            let start = index
            while index < bytes.endIndex, index - start < 18, (48...57).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
            }
            return index > start ? value : nil
        }
        guard literal(#"{"row":"#), let row = number(), literal(#","line":"#), number() != nil,
            literal(#","state":""#)
        else { return nil }
        let nameStart = index
        while index < bytes.endIndex, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            index += 1
        }
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\""),
            let state = RowState.named(bytes[nameStart..<index])
        else { return nil }
        index += 1
        var attempt: Int?
        if literal(#","attempt":"#) {
            guard let value = number() else { return nil }
            attempt = value
        }
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: "}")
        else { return nil }
        // A key written twice (by hand) means what the full parser makes of it: its last value.
        guard !repeatsAKey(bytes[index...]) else { return nil }
        return Essentials(row: row, state: state, attempt: attempt)
    }

    /// Whether `rest` holds one of the keys the essentials are read from. Inside a JSON string a quote is
    /// escaped, so `"state":` can only be a key there.
    private static func repeatsAKey(_ rest: ArraySlice<UInt8>) -> Bool {
        var index = rest.startIndex
        while let quote = rest[index...].firstIndex(of: UInt8(ascii: "\"")) {
            let after = rest[(quote + 1)...]
            for key in essentialKeys where after.starts(with: key) { return true }
            index = quote + 1
        }
        return false
    }

    private enum Value {
        case string(String)
        case number(Int)
        case decimal(Double)
        case other

        /// Ids may be numbers or strings; both read back as text.
        var text: String? {
            switch self {
            case .string(let text): text
            case .number(let number): String(number)
            case .decimal(let decimal): String(decimal)
            case .other: nil
            }
        }
    }

    private mutating func parseObject() throws(Failure) -> LedgerEvent {
        var row: Int?
        var line: Int?
        var state: RowState?
        var event = LedgerEvent(row: 0, line: 0, state: .sent, t: "")
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") { throw Failure(reason: "empty object") }
        while true {
            skipSpace()
            let key = try parseString()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            let value = try parseValue()
            switch (key, value) {
            case ("row", .number(let number)): row = number
            case ("line", .number(let number)): line = number
            case ("state", .string(let text)):
                guard let parsed = RowState(rawValue: text) else { throw Failure(reason: "unknown state \"\(text)\"") }
                state = parsed
            case ("attempt", .number(let number)): event.attempt = number
            case ("http_status", .number(let number)): event.httpStatus = number
            case ("user_id", let value): event.userID = value.text
            case ("deal_id", let value): event.dealID = value.text
            case ("deal_number", let value): event.dealNumber = value.text
            case ("user_status", .string(let text)): event.userStatus = text
            case ("payment_link", .string(let text)): event.paymentLink = text
            case ("error", .string(let text)): event.error = text
            case ("verified", .string(let text)): event.verified = text
            case ("t", .string(let text)): event.t = text
            case ("rate", .decimal(let decimal)): event.rate = decimal
            case ("rate", .number(let number)): event.rate = Double(number)
            case ("row", _), ("line", _), ("state", _):
                throw Failure(reason: "\"\(key)\" has the wrong type")
            default: break
            }
            skipSpace()
            if peek() == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            break
        }
        skipSpace()
        guard index == bytes.endIndex else { throw Failure(reason: "text after the object") }
        guard let row, let line, let state else { throw Failure(reason: "row, line or state missing") }
        event.row = row
        event.line = line
        event.state = state
        return event
    }

    private mutating func parseValue() throws(Failure) -> Value {
        guard let first = peek() else { throw Failure(reason: "value missing") }
        switch first {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            while index < bytes.endIndex, let byte = peek(), Self.numberBytes.contains(byte) {
                index += 1
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if let number = Int(text) { return .number(number) }
            guard let decimal = Double(text) else { throw Failure(reason: "bad number") }
            return .decimal(decimal)
        default:
            for word in ["true", "false", "null"] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                return .other
            }
            throw Failure(reason: "unexpected character at byte \(index - bytes.startIndex + 1)")
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        var hasEscape = false
        while let byte = peek(), byte != UInt8(ascii: "\"") {
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                index += 1
            }
            index += 1
        }
        guard index < bytes.endIndex else { throw Failure(reason: "unterminated string") }
        let raw = bytes[start..<index]
        index += 1
        return hasEscape ? try Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
    }

    private static func unescape(_ raw: ArraySlice<UInt8>) throws(Failure) -> String {
        var out: [UInt8] = []
        var iterator = raw.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            switch iterator.next() {
            case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "u"):
                var hex: [UInt8] = []
                for _ in 0..<4 { if let digit = iterator.next() { hex.append(digit) } }
                guard let scalarValue = UInt32(String(decoding: hex, as: UTF8.self), radix: 16),
                    let scalar = Unicode.Scalar(scalarValue)
                else { throw Failure(reason: "bad \\u escape") }
                out.append(contentsOf: String(Character(scalar)).utf8)
            case let other?: out.append(other)
            case nil: throw Failure(reason: "bad escape")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func peek() -> UInt8? {
        index < bytes.endIndex ? bytes[index] : nil
    }

    private static let essentialKeys = [#"row":"#, #"line":"#, #"state":"#, #"attempt":"#].map { Array($0.utf8) }

    private static let numberBytes = Set("-+.eE0123456789".utf8)

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard peek() == byte else {
            throw Failure(
                reason: "expected '\(Character(Unicode.Scalar(byte)))' at byte \(index - bytes.startIndex + 1)")
        }
        index += 1
    }
}
