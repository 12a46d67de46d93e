/// The header row's own checks (names trimmed, blank and repeated names reported), and how problems quote
/// the value they are about.
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
                        message: "the header has no name for this column (GetCourse's own export leaves "
                            + "custom-field columns so); a mapping reaches it by number: `column: \(column)`"))
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

    // MARK: Values in messages

    /// Appends the value a field-level problem is about, so a user can find it: `(value: «Ив"ан»)`.
    static func quoteValues(of fields: [String], in problems: inout [CSVProblem]) {
        for index in problems.indices {
            // A value that is not text is shown in its likely reading by the problem itself.
            guard problems[index].kind != .raggedRow, problems[index].kind != .invalidUTF8,
                let column = problems[index].column, column >= 1,
                column <= fields.count
            else { continue }
            problems[index].message += " (value: «\(snippet(fields[column - 1]))»)"
        }
    }

    /// At most 40 characters, control characters spelled out so a message stays on one line.
    static func snippet(_ value: String) -> String {
        var text = ""
        for (count, character) in value.enumerated() {
            if count == 40 {
                text += "…"
                break
            }
            switch character {
            case "\n": text += "\\n"
            case "\r\n": text += "\\r\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{0}": text += "\\0"
            default: text.append(character)
            }
        }
        return text
    }
}

extension CSVProblem {
    /// A fact about the file that reads right anyway, such as a blank column name (GetCourse's user export
    /// leaves custom-field columns so): shown, but no reason to call the file broken.
    package var isNotice: Bool { kind == .blankHeader }
}
