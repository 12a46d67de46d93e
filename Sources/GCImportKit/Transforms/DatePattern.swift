// Date patterns such as `dd.MM.yyyy HH:mm`, compiled once and matched by hand: Foundation's DateFormatter
// costs microseconds per call and depends on locale settings, and we parse millions of cells.

/// A parsed calendar date and time, without a time zone.
struct LocalDateTime: Sendable, Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0
    var second = 0
    /// The UTC offset the value itself carried (ISO 8601 `Z`, `+03:00`), in seconds; nil when it had none.
    var offset: Int?

    /// `YYYY-MM-DD HH:MM:SS`, the form the import API takes (written byte by byte: this runs per cell).
    var apiString: String {
        // Written straight into the string's storage: one allocation, not an array and then a string.
        String(unsafeUninitializedCapacity: 19) { bytes in
            writeAPI(to: bytes)
            return 19
        }
    }

    /// Writes `apiString`'s 19 bytes to the start of `bytes`.
    func writeAPI(to bytes: UnsafeMutableBufferPointer<UInt8>) {
        func put(_ value: Int, at offset: Int, width: Int) {
            var rest = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
        put(year, at: 0, width: 4)
        put(month, at: 5, width: 2)
        put(day, at: 8, width: 2)
        put(hour, at: 11, width: 2)
        put(minute, at: 14, width: 2)
        put(second, at: 17, width: 2)
        bytes[4] = UInt8(ascii: "-")
        bytes[7] = UInt8(ascii: "-")
        bytes[10] = UInt8(ascii: " ")
        bytes[13] = UInt8(ascii: ":")
        bytes[16] = UInt8(ascii: ":")
    }

    var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= Self.daysIn(month: month, year: year) && (0...23).contains(hour)
            && (0...59).contains(minute) && (0...59).contains(second) && (1900...2100).contains(year)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Seconds since 1970-01-01 00:00:00 of this wall-clock time read as UTC (days-from-civil algorithm).
    var secondsSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (
            year, month, day, hour, minute, second
        )
    }

    /// The inverse of `secondsSinceEpoch`.
    init(secondsSinceEpoch seconds: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(
            year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day, hour: secondOfDay / 3_600,
            minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60)
    }
}

extension LocalDateTime {
    fileprivate mutating func set(_ token: DatePattern.Token, _ value: Int) {
        switch token {
        case .day: day = value
        case .month: month = value
        case .hour: hour = value
        case .minute: minute = value
        case .second: second = value
        default: break
        }
    }
}

/// One date format from the mapping (`dd.MM.yyyy HH:mm`): `d`/`dd` day, `M`/`MM` month, `yy`/`yyyy` year,
/// `H`/`HH` hour, `m`/`mm` minute, `s`/`ss` second, `X` the end of an ISO 8601 time (an optional fraction of a
/// second, dropped, then an optional `Z` or `±HH[:MM]`), `'…'` quoted literal text; any other character must
/// appear as written (a space matches one or more spaces). Day, month, hour, minute and second take one or
/// two digits whatever the pattern's width, since Excel drops leading zeros.
struct DatePattern: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case day, month, year2, year4, hour, minute, second
        case fractionAndZone
        case literal(UInt8)
        case spaces
    }

    let text: String
    let tokens: [Token]

    /// Compiles `text`; the error names the part it does not understand.
    init(_ text: String) throws(TransformFailure) {
        self.text = text
        var tokens: [Token] = []
        let chars = Array(text)
        var index = 0
        while index < chars.count {
            let char = chars[index]
            var run = 1
            while index + run < chars.count && chars[index + run] == char { run += 1 }
            switch (char, run) {
            case ("d", 1...2): tokens.append(.day)
            case ("M", 1...2): tokens.append(.month)
            case ("y", 2): tokens.append(.year2)
            case ("y", 4): tokens.append(.year4)
            case ("H", 1...2): tokens.append(.hour)
            case ("m", 1...2): tokens.append(.minute)
            case ("s", 1...2): tokens.append(.second)
            case ("X", 1): tokens.append(.fractionAndZone)
            case (" ", _): tokens.append(.spaces)
            case ("'", _):
                guard let close = chars[(index + 1)...].firstIndex(of: "'") else {
                    throw TransformFailure("date format «\(text)»: unclosed quote")
                }
                for byte in String(chars[(index + 1)..<close]).utf8 { tokens.append(.literal(byte)) }
                index = close + 1
                continue
            default:
                if char.isLetter {
                    throw TransformFailure(
                        "date format «\(text)»: «\(String(repeating: char, count: run))» is not understood "
                            + "(use dd, MM, yyyy, yy, HH, mm, ss, X)")
                }
                for _ in 0..<run { for byte in String(char).utf8 { tokens.append(.literal(byte)) } }
            }
            index += run
        }
        guard tokens.contains(.day), tokens.contains(.month), tokens.contains(.year2) || tokens.contains(.year4) else {
            throw TransformFailure("date format «\(text)»: needs a day (dd), a month (MM) and a year (yyyy)")
        }
        self.tokens = tokens
    }

    /// The date in `bytes` when it matches this pattern completely, else nil.
    func match(_ bytes: UnsafeBufferPointer<UInt8>) -> LocalDateTime? {
        var result = LocalDateTime(year: 0, month: 0, day: 0)
        var index = 0
        func number(maxDigits: Int, exact: Bool) -> Int? {
            var value = 0
            var count = 0
            while count < maxDigits && index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
                count += 1
            }
            return count == 0 || (exact && count != maxDigits) ? nil : value
        }
        for token in tokens {
            switch token {
            case .day, .month, .hour, .minute, .second:
                guard let value = number(maxDigits: 2, exact: false) else { return nil }
                result.set(token, value)
            case .year4:
                guard let value = number(maxDigits: 4, exact: true) else { return nil }
                result.year = value
            case .year2:
                guard let value = number(maxDigits: 2, exact: true) else { return nil }
                result.year = value < 70 ? 2000 + value : 1900 + value
            case .literal(let byte):
                guard index < bytes.count && bytes[index] == byte else { return nil }
                index += 1
            case .spaces:
                guard index < bytes.count && bytes[index] == 0x20 else { return nil }
                while index < bytes.count && bytes[index] == 0x20 { index += 1 }
            case .fractionAndZone:
                if index < bytes.count && (bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",")) {
                    index += 1
                    let start = index
                    while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
                    guard index > start else { return nil }
                }
                guard let zone = Self.zoneOffset(bytes, at: &index) else { return nil }
                result.offset = zone == Int.min ? nil : zone
            }
        }
        return index == bytes.count && result.isValid ? result : nil
    }

    /// Reads `Z`, `±HH`, `±HHMM` or `±HH:MM` at `index`: the offset in seconds, `Int.min` when the value
    /// ends with no zone, nil when what follows is not a zone.
    private static func zoneOffset(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) -> Int? {
        guard index < bytes.count else { return Int.min }
        let sign = bytes[index]
        if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
            index += 1
            return 0
        }
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        index += 1
        var digits: [Int] = []
        while index < bytes.count && digits.count < 4 {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                digits.append(Int(byte - 0x30))
            } else if !(byte == UInt8(ascii: ":") && digits.count == 2) {
                break
            }
            index += 1
        }
        guard digits.count == 2 || digits.count == 4 else { return nil }
        let hours = digits[0] * 10 + digits[1]
        let minutes = digits.count == 4 ? digits[2] * 10 + digits[3] : 0
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3_600 + minutes * 60)
    }
}
