extension CheckReport {
    /// New groups listed one by one; beyond this many only the count is given (`--json` has them all).
    static let listedNewGroups = 40

    /// The report for people: what was compared, every problem with its place and fix, then the verdict.
    package func renderText() -> String {
        var lines = ["Checked \(input) with \(mapping) against \(target)"]
        if let refusal {
            lines.append("  ✗ the account refused: \(refusal)")
            lines.append("")
            lines.append("Result: the account refuses; nothing was compared (exit 69).")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append(
            "  The key works and the plan has the API: \(userFields) user field(s), \(dealFields) order field(s), "
                + "\(accountGroups) group(s) in the account.")
        lines.append("")
        lines.append(contentsOf: fieldLines)
        if rehearsal && fields.contains(where: { $0.status != .ok }) {
            lines.append(
                "  (the built-in sandbox has only the fields it was given: --sandbox-fields FILE gives it your "
                    + "account's, as its /pl/api/account/fields answers them)")
        }
        lines.append("")
        lines.append(contentsOf: groupLines)
        lines.append("")
        lines.append(verdict)
        return lines.joined(separator: "\n") + "\n"
    }

    private var fieldLines: [String] {
        guard !fields.isEmpty else { return ["Additional fields: the mapping sends none."] }
        var lines = ["Additional fields (\(fields.count) sent by the mapping):"]
        for finding in fields {
            let place = finding.place.map { "\($0): " } ?? ""
            let object = finding.context == .user ? "user" : "order"
            switch finding.status {
            case .ok:
                lines.append("  ✓ \(finding.field)")
            case .missing:
                let nearest =
                    finding.nearest.isEmpty
                    ? "" : "; nearest: " + finding.nearest.map { "«\($0)»" }.joined(separator: ", ")
                lines.append(
                    "  ✗ \(place)\(finding.field): the account has no \(object) field «\(finding.title)»\(nearest). "
                        + "GetCourse would drop this value from every row without an error: fix the name in the "
                        + "mapping, or create the field in GetCourse first.")
            case .otherContext:
                let other = finding.context == .user ? "deal" : "user"
                lines.append(
                    "  ✗ \(place)\(finding.field): «\(finding.title)» is an additional field of the "
                        + "\(other == "deal" ? "orders" : "users"), not of the \(object)s: map it as "
                        + "\(other).addfields.\(finding.title).")
            }
        }
        return lines
    }

    private var groupLines: [String] {
        guard rowsWithGroups > 0 || !groups.isEmpty else { return ["Groups: the file sends none."] }
        var lines = ["Groups (\(groups.count) name(s), sent by \(rowsWithGroups) of \(rows) rows):"]
        let new = groups.filter { $0.status == .new }
        for finding in groups where finding.status == .likelyTypo {
            let target = finding.nearest ?? "?"
            lines.append(
                "  ✗ «\(finding.name)» (\(Self.rows(finding.rows)), first at line \(finding.firstLine)): not in the "
                    + "account, but almost the same as its «\(target)»: most likely a typo, and GetCourse would "
                    + "create a second group for it. Fix the name in the file.")
        }
        for finding in new.prefix(Self.listedNewGroups) {
            let mark = strictGroups ? "✗" : "·"
            let nearest = finding.nearest.map { " (nearest existing: «\($0)»)" } ?? ""
            lines.append(
                "  \(mark) «\(finding.name)» (\(Self.rows(finding.rows)), first at line \(finding.firstLine)): new; "
                    + "GetCourse creates it on first use\(nearest)")
        }
        if new.count > Self.listedNewGroups {
            lines.append("  … and \(new.count - Self.listedNewGroups) more new group(s) (--json lists them all)")
        }
        let existing = groups.filter { $0.status == .exists }
        if !existing.isEmpty {
            lines.append("  ✓ \(existing.count) name(s) the account has: " + Self.sample(existing.map(\.name)))
        }
        if groupsTruncated {
            lines.append(
                "  ! more than \(AccountCheck.maxGroupNames) distinct names: only the first were compared")
        }
        return lines
    }

    private var verdict: String {
        if problems == 0 {
            let new = newGroups > 0 ? " \(newGroups) new group(s) will be created." : ""
            return "Result: no problems: nothing the mapping sends would be dropped.\(new) (exit 0)"
        }
        var text = "Result: \(problems) problem(s): importing now would lose or misfile data (exit 65)."
        if strictGroups && groups.contains(where: { $0.status == .new }) {
            text += " --strict-groups makes every new group a problem."
        }
        return text
    }

    private static func rows(_ count: Int) -> String { count == 1 ? "1 row" : "\(count) rows" }

    private static func sample(_ names: [String]) -> String {
        let shown = names.prefix(5).map { "«\($0)»" }.joined(separator: ", ")
        return names.count > 5 ? shown + ", …" : shown
    }
}
