// "Did you mean …?" for mapping keys and column names: a mistyped key or header should point at the fix.

/// Edit-distance suggestions over short strings (keys, headers); never on the per-row hot path.
enum NearestMatch {
    /// Levenshtein distance over Unicode scalars, case-insensitive; with `transpositions`, two adjacent
    /// characters swapped count as one edit (optimal string alignment), as a typing slip does.
    static func distance(_ lhs: String, _ rhs: String, transpositions: Bool = false) -> Int {
        let a = Array(lhs.lowercased().unicodeScalars)
        let b = Array(rhs.lowercased().unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows: the one before the previous is what a transposition looks back to.
        var earlier = Array(0...b.count)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if transpositions, i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], earlier[j - 2] + 1)
                }
            }
            (earlier, previous, current) = (previous, current, earlier)
        }
        return previous[b.count]
    }

    /// The candidates closest to `word`, best first; nothing when nothing is reasonably close.
    static func best(_ word: String, in candidates: [String], limit: Int = 1) -> [String] {
        let threshold = max(2, word.count / 2)
        return
            candidates
            .map { (candidate: $0, distance: distance(word, $0)) }
            .filter { $0.distance <= threshold || $0.candidate.lowercased().contains(word.lowercased()) }
            .sorted { $0.distance < $1.distance }
            .prefix(limit)
            .map(\.candidate)
    }

    /// ` (did you mean «x»?)`, or an empty string.
    static func suggestion(for word: String, in candidates: [String]) -> String {
        guard let match = best(word, in: candidates).first else { return "" }
        return " (did you mean «\(match)»?)"
    }
}
