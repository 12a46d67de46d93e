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
            guard let flag = flagNumber(TextTransforms.trim(value)) else {
                throw TransformFailure("not a yes/no flag; use 1 or 0 (or yes/no, да/нет)")
            }
            return .number(flag)
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
        case .date:
            // A date-time keeps its day: the time of a birthday means nothing.
            guard isAPIDate(value) else {
                throw TransformFailure(
                    "not a date as the API takes it (YYYY-MM-DD); add a `date:` transform with the file's format, "
                        + "e.g. dd.MM.yyyy")
            }
            return .string(String(value.prefix(10)))
        case .closed(let set):
            guard set.contains(value) else { throw TransformFailure(set.rejection(of: value)) }
            return .string(value)
        }
    }

    private static let yes = ["1", "yes", "true", "да", "y"]
    private static let no = ["0", "no", "false", "нет", "n"]
    /// The flag words packed as `TextTransforms.packedLowercase` packs a cell, with the flag each means.
    private static let packedWords: [(key: TextTransforms.PackedBytes, flag: String)] =
        (yes.map { ($0, "1") } + no.map { ($0, "0") }).compactMap { word, flag in
            var copy = word
            return copy.withUTF8(TextTransforms.packedLowercase).map { ($0, flag) }
        }

    /// "1" or "0" for the flag words in any case. A short cell of ASCII and Russian letters is folded and
    /// compared without allocating; anything else goes through Unicode lowercasing.
    static func flagNumber(_ value: String) -> String? {
        var copy = value
        if let flag = copy.withUTF8(packedFlag) { return flag }
        let folded = value.lowercased()
        if yes.contains(folded) { return "1" }
        if no.contains(folded) { return "0" }
        return nil
    }

    /// `flagNumber` of a short cell of ASCII and Russian letters: `.some(nil)` when it is no flag word,
    /// nil when the cell needs Unicode lowercasing to tell.
    static func packedFlag(_ bytes: UnsafeBufferPointer<UInt8>) -> String?? {
        guard let key = TextTransforms.packedLowercase(bytes) else { return nil }
        return .some(packedWords.first { $0.key == key }?.flag)
    }

    static func isDigits(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `-?digits(.digits)?`
    static func isDecimal(_ value: String) -> Bool {
        var copy = value
        return copy.withUTF8(isDecimal)
    }

    static func isDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = bytes.first == UInt8(ascii: "-") ? 1 : 0
        var digitsInPart = 0
        var sawDot = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                digitsInPart += 1
            } else if byte == UInt8(ascii: ".") && !sawDot && digitsInPart > 0 {
                sawDot = true
                digitsInPart = 0
            } else {
                return false
            }
            index += 1
        }
        return digitsInPart > 0
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, with a real calendar date.
    static func isAPIDate(_ value: String) -> Bool {
        var copy = value
        return copy.withUTF8(isAPIDate)
    }

    static func isAPIDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 10 || bytes.count == 19 else { return false }
        return (bytes.count == 10 ? apiDateOnly : apiDateTime).match(bytes) != nil
    }

    private static let apiDateTime = DateTransform.defaultPatterns[3]
    private static let apiDateOnly = DateTransform.defaultPatterns[5]
}
