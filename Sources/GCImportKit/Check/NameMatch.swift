/// Tells a likely typo of an existing name from a legitimately new one: «Основы Pyhton» next to «Основы
/// Python» is a typo; «Поток 4» next to «Поток 3» is the next cohort.
enum NameMatch {
    /// The name as people see it: case, runs of spaces, `ё`, dashes, quotes and Latin letters that look
    /// Cyrillic folded away.
    static func fold(_ name: String) -> String {
        var out = ""
        var lastWasSpace = true
        for scalar in name.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            out.unicodeScalars.append(lookAlikes[scalar] ?? scalar)
        }
        if out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// Latin letters and punctuation that look like Cyrillic letters or plainer punctuation.
    private static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = [
        "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к", "m": "м", "t": "т",
        "h": "н", "b": "в", "ё": "е", "–": "-", "—": "-", "«": "\"", "»": "\"", "“": "\"", "”": "\"", "„": "\"",
        "'": "\"", "’": "\"",
    ]

    /// The digits of a name in order: names whose digits differ are different things (cohorts, years).
    static func digits(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.properties.numericType != nil }.map(Character.init))
    }

    /// Whether `candidate` is most likely a mistyped `existing`: equal once folded, or a small edit apart
    /// (one for up to 12 characters, two beyond) with the same digits, and not differing only in short
    /// labels («Группа A» and «Группа B», «Поток II» and «Поток III» are different groups).
    static func isLikelyTypo(_ candidate: String, of existing: String) -> Bool {
        guard candidate != existing else { return false }
        let (a, b) = (fold(candidate), fold(existing))
        if a == b { return true }
        guard digits(candidate) == digits(existing), !differOnlyInLabels(a, b) else { return false }
        let length = max(a.count, b.count)
        let allowed = length <= 4 ? 0 : length <= 12 ? 1 : 2
        guard allowed > 0, abs(a.count - b.count) <= allowed else { return false }
        return NearestMatch.distance(a, b, transpositions: true) <= allowed
    }

    private static func differOnlyInLabels(_ a: String, _ b: String) -> Bool {
        let (left, right) = (a.split(separator: " "), b.split(separator: " "))
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { $0 == $1 || max($0.count, $1.count) <= 3 }
    }

    /// The existing name `candidate` most likely mistypes, if any.
    static func typoTarget(of candidate: String, in existing: [String], folded: [String: String]) -> String? {
        if let same = folded[fold(candidate)], same != candidate { return same }
        return existing.first { isLikelyTypo(candidate, of: $0) }
    }
}
