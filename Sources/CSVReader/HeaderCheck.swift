/// The header row's own checks: names trimmed, blank and repeated names reported.
enum HeaderCheck {
    /// Trims Unicode whitespace and stray BOMs (U+FEFF) from both ends of a column name.
    static func trim(_ name: String) -> String {
        let scalars = name.unicodeScalars
        func isJunk(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || scalar == "\u{FEFF}"
        }
        guard let first = scalars.firstIndex(where: { !isJunk($0) }),
            let last = scalars.lastIndex(where: { !isJunk($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Blank names, and names that repeat an earlier one (ignoring case, as a mapping would).
    static func problems(in names: [String], line: Int) -> [CSVProblem] {
        var problems: [CSVProblem] = []
        var firstColumn: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let column = index + 1
            if name.isEmpty {
                problems.append(
                    CSVProblem(
                        line: line, column: column, kind: .blankHeader,
                        message: "the header has no name for this column; "
                            + "name it so a mapping can refer to it"))
                continue
            }
            let key = name.lowercased()
            if let earlier = firstColumn[key] {
                problems.append(
                    CSVProblem(
                        line: line, column: column, kind: .duplicateHeader,
                        message: "«\(name)» repeats column \(earlier) "
                            + "«\(names[earlier - 1])»; rename one so a mapping can tell them apart"))
            } else {
                firstColumn[key] = column
            }
        }
        return problems
    }
}
