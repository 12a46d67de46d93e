// `mapping init`: the date formats a column is written in, from its first values. Beyond the `date`
// transform's defaults it knows slashes, two-digit years and year-first dates, and tells day-first from
// month-first (US Excel) by the values that only one of them can read.

/// Picks the formats that read a column's dates.
enum DateFormatGuess {
    static let dayFirst = [
        "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm", "dd/MM/yyyy", "dd.MM.yy HH:mm", "dd.MM.yy", "dd-MM-yyyy HH:mm",
        "dd-MM-yyyy", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm", "yyyy/MM/dd", "yyyy.MM.dd",
    ]
    static let monthFirst = ["MM/dd/yyyy HH:mm:ss", "MM/dd/yyyy HH:mm", "MM/dd/yyyy"]

    private static let patterns: [String: DatePattern] = {
        var map: [String: DatePattern] = [:]
        for text in DateTransform.defaultFormats + dayFirst + monthFirst { map[text] = try? DatePattern(text) }
        return map
    }()

    /// Every format tried, day-first before month-first.
    static let all = DateTransform.defaultFormats + dayFirst + monthFirst

    /// Whether some known format reads `value`.
    static func isDate(_ value: String) -> Bool {
        all.contains { matches($0, value) }
    }

    /// The formats that read the values (empty ones ignored), in the order first needed; nil when some value
    /// fits none. When any value is month-first only (12/31/2024), slashed dates are all read month-first.
    static func formats(for values: [String]) -> [String]? {
        let cells = values.map(TextTransforms.trim).filter { !$0.isEmpty }
        guard let dayFirstCover = cover(cells, candidates: all) else { return nil }
        guard dayFirstCover.contains(where: monthFirst.contains) else { return dayFirstCover }
        let slashed = Set(dayFirst.filter { $0.hasPrefix("dd/") })
        let monthFirstCandidates = DateTransform.defaultFormats + monthFirst + dayFirst.filter { !slashed.contains($0) }
        return cover(cells, candidates: monthFirstCandidates) ?? dayFirstCover
    }

    /// The candidates needed to read every cell, greedily in candidate order.
    private static func cover(_ cells: [String], candidates: [String]) -> [String]? {
        var chosen: [String] = []
        for cell in cells where !chosen.contains(where: { matches($0, cell) }) {
            guard let format = candidates.first(where: { matches($0, cell) }) else { return nil }
            chosen.append(format)
        }
        return chosen
    }

    private static func matches(_ format: String, _ value: String) -> Bool {
        guard let pattern = patterns[format] else { return false }
        var copy = value
        return copy.withUTF8 { pattern.match($0) != nil }
    }
}
