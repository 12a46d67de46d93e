// `mapping init`: a header guess is used only when the file's values fit it. GetCourse's order export calls
// the amount paid «Оплачено», and a «Партнер» column may hold names: guessing them a flag and an email would
// make every row invalid.

/// Checks a header guess against the values seen under it.
enum SampleCheck {
    /// Values looked at per column.
    static let limit = 500

    /// Whether at least 90 % of the non-empty values pass the guessed field's check (true when all are empty).
    static func fits(_ guess: HeaderGuess, values: some Sequence<String>) -> Bool {
        guard let accepts = check(for: guess) else { return true }
        var seen = 0
        var passed = 0
        for value in values {
            let trimmed = TextTransforms.trim(value)
            if trimmed.isEmpty { continue }
            seen += 1
            if accepts(trimmed) { passed += 1 }
            if seen == limit { break }
        }
        return seen == 0 || passed * 10 >= seen * 9
    }

    /// The check a value of the guessed field must pass, or nil when any text is acceptable.
    private static func check(for guess: HeaderGuess) -> ((String) -> Bool)? {
        if guess.path == "user.group_name.group_date" { return DateFormatGuess.isDate }
        guard let field = PayloadField.lookup(guess.path) else { return nil }
        switch field.type {
        case .email: return { EmailTransform.syntaxProblem($0.lowercased()) == nil }
        case .flag: return { FieldValidator.flagNumber($0) != nil }
        case .money: return { (try? MoneyTransform.normalise($0)) != nil }
        case .positiveInteger, .identifier: return { FieldValidator.isDigits($0) }
        case .date, .dateTime: return DateFormatGuess.isDate
        case .phone: return { $0.contains { $0.isNumber } }
        case .text, .groups, .closed: return nil
        }
    }
}
