// The last step of every field: check the value against what GetCourse accepts for that key and give it its
// JSON type. Runs whether or not the mapping asked for a transform, so a date left as "01.02.2024" or a cost
// left as "12 000,00" is caught here with a hint at the transform that fixes it.

/// Checks a transformed value against its field type.
enum FieldValidator {
    static func finalise(_ value: String, as type: FieldType) throws(TransformFailure) -> FieldValue {
        switch type {
        case .text, .phone, .groups:
            return .string(value)
        case .email:
            if let problem = EmailTransform.syntaxProblem(TextTransforms.trim(value)) {
                throw TransformFailure(problem)
            }
            return .string(value)
        case .flag:
            switch TextTransforms.trim(value).lowercased() {
            case "1", "yes", "true", "да", "y": return .number("1")
            case "0", "no", "false", "нет", "n": return .number("0")
            default: throw TransformFailure("not a yes/no flag; use 1 or 0 (or yes/no, да/нет)")
            }
        case .positiveInteger:
            guard isDigits(value), let number = Int(value), number > 0 else {
                throw TransformFailure("not a whole number ≥ 1")
            }
            return .number(String(number))
        case .identifier:
            guard isDigits(value) else { throw TransformFailure("not a numeric id (digits only)") }
            return .string(value)
        case .money:
            guard isDecimal(value) else {
                throw TransformFailure("not a plain amount like 12000.50; add the `money` transform to read 12 000,00")
            }
            guard value.utf8.contains(where: { $0 >= 0x31 && $0 <= 0x39 }), value.first != "-" else {
                throw TransformFailure("the amount must be greater than 0")
            }
            return .string(value)
        case .dateTime:
            guard isAPIDate(value) else {
                throw TransformFailure(
                    "not a date as the API takes it (YYYY-MM-DD HH:MM:SS); add a `date:` transform with the file's "
                        + "format, e.g. dd.MM.yyyy HH:mm")
            }
            return .string(value)
        case .closed(let set):
            guard set.contains(value) else { throw TransformFailure(set.rejection(of: value)) }
            return .string(value)
        }
    }

    static func isDigits(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `-?digits(.digits)?`
    static func isDecimal(_ value: String) -> Bool {
        var text = Substring(value)
        if text.first == "-" { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, with a real calendar date.
    static func isAPIDate(_ value: String) -> Bool {
        guard value.utf8.count == 10 || value.utf8.count == 19 else { return false }
        let pattern = value.utf8.count == 10 ? apiDateOnly : apiDateTime
        var copy = value
        return copy.withUTF8 { pattern.match($0) != nil }
    }

    private static let apiDateTime = DateTransform.defaultPatterns[3]
    private static let apiDateOnly = DateTransform.defaultPatterns[5]
}
