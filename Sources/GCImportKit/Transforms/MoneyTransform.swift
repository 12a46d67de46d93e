// money: "12 000,00", "12 000.50 руб.", "1,234.56", "₽ 990" → "12000", "12000.5", "1234.56", "990".
// Excel in a Russian locale writes a comma decimal and (non-breaking) space thousands; other exports write
// a dot decimal and comma thousands. When both marks appear the last one is the decimal mark; a single mark
// that appears once is the decimal mark; a mark that repeats groups thousands.

/// Turns a money cell into a plain decimal string: digits, an optional «.» and fraction, no trailing zeros.
enum MoneyTransform {
    static func normalise(_ value: String) throws(TransformFailure) -> String {
        let text = try value.withUTF8Bytes { (bytes) throws(TransformFailure) in try normalise(bytes) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The amount's text as bytes.
    static func normalise(_ bytes: UnsafeBufferPointer<UInt8>) throws(TransformFailure) -> [UInt8] {
        let digits = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + 1)
        defer { digits.deallocate() }
        let text = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + 2)
        defer { text.deallocate() }
        let count = try normalise(bytes, digits: digits, into: text)
        return Array(UnsafeBufferPointer(start: text, count: count))
    }

    /// The amount's text written to `text` (room for `bytes.count + 2`), using `digits` (room for
    /// `bytes.count + 1`) on the way; returns its length. Allocates nothing: this runs for every cost cell.
    static func normalise(
        _ bytes: UnsafeBufferPointer<UInt8>, digits: UnsafeMutablePointer<UInt8>, into text: UnsafeMutablePointer<UInt8>
    ) throws(TransformFailure) -> Int {
        // Digits and at most one «.», in order; never more than the cell's bytes (a «.» stands for a mark).
        var count = 0
        var negative = false
        do {
            var marks = Marks()
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                var advance = 1
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    digits[count] = byte
                    count += 1
                    marks.digitSeen()
                case UInt8(ascii: ","), UInt8(ascii: "."):
                    // A dot before any digit or after the number («руб.») is not a separator.
                    if count > 0 { marks.add(Mark(position: count, symbol: byte)) }
                case UInt8(ascii: " "), UInt8(ascii: "'"), 0x09:
                    break
                case UInt8(ascii: "-"):
                    guard count == 0 else { throw TransformFailure("not an amount: «-» inside the number") }
                    negative = true
                default:
                    let space = TextTransforms.whitespaceLength(bytes, at: index)
                    if space > 0 {
                        advance = space
                    } else if count == 0 && isMinusSign(bytes, index) {
                        negative = true
                        advance = 3
                    } else if count > 0 && isCurrencyTail(bytes, from: index) {
                        advance = bytes.count - index
                    } else if count == 0, let length = currencyHeadLength(bytes, at: index) {
                        advance = length
                    } else {
                        throw TransformFailure("not an amount: unexpected text; write it like 12 000,00 or 12000.00")
                    }
                }
                index += advance
            }
            // Marks with nothing after them («990.», «990 р.») are not decimal marks: `Marks` only counts
            // those a digit followed.
            if let decimal = try decimalPosition(marks) {
                if decimal < count {
                    (digits + decimal + 1).update(from: digits + decimal, count: count - decimal)
                    digits[decimal] = UInt8(ascii: ".")
                    count += 1
                }
            }
        }
        guard count > 0 else { throw TransformFailure("not an amount: no digits") }
        return canonical(UnsafeBufferPointer(start: digits, count: count), negative: negative, into: text)
    }

    /// A «,» or «.» between digits, and how many digits came before it.
    private struct Mark {
        var position: Int
        var symbol: UInt8
    }

    /// What `decimalPosition` needs of the marks a digit followed: the last one and how many there are of
    /// each symbol. A tally, not an array: this runs for every cost cell, and the array was an allocation.
    private struct Marks {
        private(set) var last: Mark?
        private(set) var commas = 0
        private(set) var dots = 0
        /// Marks since the last digit; they count only once a digit follows.
        private var pending: (last: Mark, commas: Int, dots: Int)?

        mutating func add(_ mark: Mark) {
            var waiting = pending ?? (mark, 0, 0)
            waiting.last = mark
            if mark.symbol == UInt8(ascii: ",") { waiting.commas += 1 } else { waiting.dots += 1 }
            pending = waiting
        }

        mutating func digitSeen() {
            guard let waiting = pending else { return }
            last = waiting.last
            commas += waiting.commas
            dots += waiting.dots
            pending = nil
        }
    }

    /// Where the decimal mark goes (an index into the digits), or nil for a whole number.
    private static func decimalPosition(_ marks: Marks) throws(TransformFailure) -> Int? {
        guard let last = marks.last else { return nil }
        let lastKind = last.symbol == UInt8(ascii: ",") ? marks.commas : marks.dots
        if lastKind == marks.commas + marks.dots {
            // One mark is the decimal mark; a repeated one («1 234 567» written «1.234.567») groups thousands.
            return lastKind == 1 ? last.position : nil
        }
        guard lastKind == 1 else {
            throw TransformFailure("not an amount: the «,» and «.» separators are ambiguous; write it like 12 000,00")
        }
        return last.position
    }

    /// Drops leading zeros of the whole part and trailing zeros of the fraction, writing the result to
    /// `text` (room for two bytes more than `digits`); returns its length.
    private static func canonical(
        _ digits: UnsafeBufferPointer<UInt8>, negative: Bool, into text: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let dot = digits.firstIndex(of: UInt8(ascii: "."))
        let wholeEnd = dot ?? digits.count
        var start = 0
        while start < wholeEnd - 1 && digits[start] == UInt8(ascii: "0") { start += 1 }
        var end = digits.count
        if let dot {
            while end > dot + 1 && digits[end - 1] == UInt8(ascii: "0") { end -= 1 }
            if end == dot + 1 { end = dot }
        }
        var count = 0
        if negative {
            text[count] = UInt8(ascii: "-")
            count += 1
        }
        // A number written «.5» has no whole digits: it gets its «0».
        if start == wholeEnd {
            text[count] = UInt8(ascii: "0")
            count += 1
        }
        for index in start..<end {
            text[count] = digits[index]
            count += 1
        }
        return count
    }

    /// U+2212 MINUS SIGN, which spreadsheets sometimes export.
    private static func isMinusSign(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index + 2 < bytes.count && bytes[index] == 0xE2 && bytes[index + 1] == 0x88 && bytes[index + 2] == 0x92
    }

    /// A currency after the number: letters (руб., р., RUB, USD), «₽», «$», «€», up to the end of the cell.
    private static func isCurrencyTail(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Bool {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self)
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar == "." || scalar == " " || scalar == "\u{A0}"
                || "₽$€£¥₸₴".unicodeScalars.contains(scalar)
        }
    }

    /// The byte length of a currency sign before the number («$», «€», «₽»…), or nil.
    private static func currencyHeadLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let byte = bytes[index]
        if byte == UInt8(ascii: "$") { return 1 }
        guard byte == 0xE2, index + 2 < bytes.count else { return nil }
        let sign = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<(index + 3)]), as: UTF8.self)
        return ["₽", "€", "₸", "₴"].contains(sign) ? 3 : nil
    }
}
