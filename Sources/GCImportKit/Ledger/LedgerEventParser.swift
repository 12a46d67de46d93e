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
        // The rest must be what the full parser accepts, or resume and report would disagree on the line.
        guard restIsPlain(bytes[index...]) else { return nil }
        return Essentials(row: row, state: state, attempt: attempt)
    }

    /// Whether `rest` is `,"key":value…}` as the full parser reads it, without whitespace, with scalar values
    /// only, and with none of the keys the essentials come from (a key written twice means its last value).
    /// Checked without building a string; anything else is left to the full parser.
    private static func restIsPlain(_ rest: ArraySlice<UInt8>) -> Bool {
        var index = rest.startIndex
        while index < rest.endIndex {
            if rest[index] == UInt8(ascii: "}") { return index == rest.endIndex - 1 }
            guard rest[index] == UInt8(ascii: ","), index + 1 < rest.endIndex, rest[index + 1] == UInt8(ascii: "\"")
            else { return false }
            let key = rest[(index + 2)...]
            for essential in essentialKeys where key.starts(with: essential) { return false }
            guard let afterKey = endOfString(rest, openingAt: index + 1), afterKey < rest.endIndex,
                rest[afterKey] == UInt8(ascii: ":"), afterKey + 1 < rest.endIndex
            else { return false }
            let value = afterKey + 1
            switch rest[value] {
            case UInt8(ascii: "\""):
                guard let end = endOfString(rest, openingAt: value) else { return false }
                index = end
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                guard let word = ["true", "false", "null"].first(where: { rest[value...].starts(with: $0.utf8) })
                else { return false }
                index = value + word.utf8.count
            default:
                var end = value
                while end < rest.endIndex, numberBytes.contains(rest[end]) { end += 1 }
                let text = String(decoding: rest[value..<end], as: UTF8.self)
                guard end > value, Int(text) != nil || Double(text) != nil else { return false }
                index = end
            }
        }
        return false
    }

    /// The index after the string whose opening quote is at `start`; nil when it is not closed or holds an
    /// escape the full parser refuses.
    private static func endOfString(_ bytes: ArraySlice<UInt8>, openingAt start: Int) -> Int? {
        var index = start + 1
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return index + 1
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.endIndex else { return nil }
                if bytes[index + 1] == UInt8(ascii: "u") {
                    guard index + 5 < bytes.endIndex,
                        let value = UInt32(
                            String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16),
                        Unicode.Scalar(value) != nil
                    else { return nil }
                    index += 6
                } else {
                    index += 2
                }
            default:
                index += 1
            }
        }
        return nil
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
