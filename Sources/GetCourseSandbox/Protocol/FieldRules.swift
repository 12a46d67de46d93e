import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Checks and normalisations shared by the users and deals imports.
enum FieldRules {
    /// A plausible email: one `@`, a non-empty local part, a dotted domain, no spaces. GetCourse's own check
    /// is stricter in places; this one rejects what any mail server would.
    static func isValidEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
            !local.isEmpty, local.count <= 64, domain.count >= 3,
            !email.contains(where: { $0 == " " || $0 == "\t" || $0 == "," || $0 == ";" || $0 == "<" || $0 == ">" })
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
            let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter)
        else { return false }
        return !local.hasPrefix(".") && !local.hasSuffix(".") && !local.contains("..")
    }

    /// A date or date-time as GetCourse accepts it (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM`,
    /// `YYYY-MM-DD HH:MM:SS`, or `DD.MM.YYYY` with the same times), normalised to `YYYY-MM-DD HH:MM:SS`.
    static func normalizedDateTime(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces()
        let pieces = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
        guard let datePart = pieces.first else { return nil }
        var year = 0
        var month = 0
        var day = 0
        let dashed = datePart.split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        let dotted = datePart.split(separator: ".", omittingEmptySubsequences: false).compactMap { Int($0) }
        if dashed.count == 3, datePart.count == 10 {
            (year, month, day) = (dashed[0], dashed[1], dashed[2])
        } else if dotted.count == 3, datePart.count == 10 {
            (year, month, day) = (dotted[2], dotted[1], dotted[0])
        } else {
            return nil
        }
        guard (1000...9999).contains(year), (1...12).contains(month), (1...daysIn(month, year)).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        if pieces.count == 2 {
            let clock = pieces[1].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard (2...3).contains(clock.count), clock.allSatisfy({ $0 != nil }) else { return nil }
            hour = clock[0] ?? 0
            minute = clock[1] ?? 0
            second = clock.count == 3 ? (clock[2] ?? 0) : 0
            guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " " + pad(hour, 2) + ":" + pad(minute, 2)
            + ":" + pad(second, 2)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// A money amount: a JSON number, or text like `12000`, `12000.50`, `12000,50`. Thousands separators
    /// are not accepted: the importer must normalise `12 000,00` itself, as it must for the real service.
    static func amount(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): return number.isFinite && number >= 0 ? number : nil
        case .string(let text):
            let trimmed = text.trimmingSpaces().replacingOccurrences(of: ",", with: ".")
            guard !trimmed.isEmpty, trimmed.filter({ $0 == "." }).count <= 1,
                trimmed.allSatisfy({ $0.isASCIIDigit || $0 == "." }), trimmed.first != ".",
                let number = Double(trimmed)
            else { return nil }
            return number
        default: return nil
        }
    }
}

/// The sandbox's wall clock, as text in GetCourse's format (`YYYY-MM-DD HH:MM:SS`, UTC here).
enum SandboxClock {
    static func now() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return FieldRules.pad(Int(parts.tm_year) + 1900, 4) + "-" + FieldRules.pad(Int(parts.tm_mon) + 1, 2) + "-"
            + FieldRules.pad(Int(parts.tm_mday), 2) + " " + FieldRules.pad(Int(parts.tm_hour), 2) + ":"
            + FieldRules.pad(Int(parts.tm_min), 2) + ":" + FieldRules.pad(Int(parts.tm_sec), 2)
    }
}
