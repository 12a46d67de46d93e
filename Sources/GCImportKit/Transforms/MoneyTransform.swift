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
        var digits: [UInt8] = []  // digits and at most one «.», in order
        digits.reserveCapacity(24)
        var negative = false
        do {
            var marks = Marks()
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                var advance = 1
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    digits.append(byte)
                    marks.digitSeen()
                case UInt8(ascii: ","), UInt8(ascii: "."):
                    // A dot before any digit or after the number («руб.») is not a separator.
                    if !digits.isEmpty { marks.add(Mark(position: digits.count, symbol: byte)) }
                case UInt8(ascii: " "), UInt8(ascii: "'"), 0x09:
                    break
                case UInt8(ascii: "-"):
                    guard digits.isEmpty else { throw TransformFailure("not an amount: «-» inside the number") }
                    negative = true
                default:
                    let space = TextTransforms.whitespaceLength(bytes, at: index)
                    if space > 0 {
                        advance = space
                    } else if digits.isEmpty && isMinusSign(bytes, index) {
                        negative = true
                        advance = 3
                    } else if !digits.isEmpty && isCurrencyTail(bytes, from: index) {
                        advance = bytes.count - index
                    } else if digits.isEmpty, let length = currencyHeadLength(bytes, at: index) {
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
                let fractionLength = digits.count - decimal
                digits.insert(UInt8(ascii: "."), at: decimal)
                if fractionLength == 0 { digits.removeLast() }
            }
        }
        guard digits.contains(where: { $0 != UInt8(ascii: ".") }) else {
            throw TransformFailure("not an amount: no digits")
        }
        return canonical(digits, negative: negative)
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

    /// Drops leading zeros of the whole part and trailing zeros of the fraction (by index: this runs for
    /// every cost cell, and slicing into new arrays cost an allocation each).
    private static func canonical(_ digits: [UInt8], negative: Bool) -> [UInt8] {
        let dot = digits.firstIndex(of: UInt8(ascii: "."))
        let wholeEnd = dot ?? digits.count
        var start = 0
        while start < wholeEnd - 1 && digits[start] == UInt8(ascii: "0") { start += 1 }
        var end = digits.count
        if let dot {
            while end > dot + 1 && digits[end - 1] == UInt8(ascii: "0") { end -= 1 }
            if end == dot + 1 { end = dot }
        }
        // A number written «.5» has no whole digits: it gets its «0».
        var text: [UInt8] = []
        text.reserveCapacity(end - start + 2)
        if negative { text.append(UInt8(ascii: "-")) }
        if start == wholeEnd { text.append(UInt8(ascii: "0")) }
        text += digits[start..<end]
        return text
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
