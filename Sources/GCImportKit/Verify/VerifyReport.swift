/// What one `gcimport verify` found and changed.
package struct VerifyReport: Sendable, Encodable {
    /// A row whose state verify changed, or left unknown with candidates.
    package struct Change: Sendable, Encodable, Equatable {
        var row: Int
        var line: Int
        /// `resolved`, `found`, `not_found`, `missing` or `ambiguous`.
        var verdict: String
        var state: RowState
        var message: String?
    }

    var ledger: String
    var kind: ImportKind
    var target: String
    var windowFrom: String
    var windowTo: String
    /// Rows looked at: ok and missing rows confirmed, unknown rows resolved.
    var checked = 0
    var counts = VerifyCounts()
    /// Every change, in row order (the ledger has them too).
    var changes: [Change] = []
    /// Exports received, by what they listed.
    var exports: [String] = []
    /// Account API requests this verification made, and the budget left in the 2-hour window (earlier
    /// verifications of the ledger count against it too).
    var calls = 0
    var budgetLeft = 0

    /// Rows that still need someone: sent again by `retry` (not found, missing) or to look at (ambiguous, a
    /// group membership of an order that cannot be resent).
    var needingAttention: Int { counts.notFound + counts.missing + counts.ambiguous + counts.groupsMissing }

    /// 0 when every row checked is in the account; 1 when rows need `retry` or a look.
    package var exitStatus: ExitStatus { needingAttention > 0 ? .problems : .success }

    enum CodingKeys: String, CodingKey {
        case ledger, kind, target, checked, counts, changes, exports, calls
        case windowFrom = "window_from"
        case windowTo = "window_to"
        case budgetLeft = "budget_left"
        case needingAttention = "needing_attention"
        case exitStatus = "exit_status"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ledger, forKey: .ledger)
        try container.encode(kind, forKey: .kind)
        try container.encode(target, forKey: .target)
        try container.encode(windowFrom, forKey: .windowFrom)
        try container.encode(windowTo, forKey: .windowTo)
        try container.encode(checked, forKey: .checked)
        try container.encode(counts, forKey: .counts)
        try container.encode(changes, forKey: .changes)
        try container.encode(exports, forKey: .exports)
        try container.encode(calls, forKey: .calls)
        try container.encode(budgetLeft, forKey: .budgetLeft)
        try container.encode(needingAttention, forKey: .needingAttention)
        try container.encode(exitStatus.rawValue, forKey: .exitStatus)
    }

    /// Changes listed one by one in the text report; the rest are counted (`--json` and the ledger have all).
    static let listedChanges = 20

    /// The report for people.
    package func renderText() -> String {
        let objects = kind.isDeal ? "orders" : "users"
        let happened = kind == .dealStatus ? "whose status changed" : "created"
        var lines = [
            "Verified \(checked) row(s) of \(ledger) against \(target), from the \(objects) \(happened) \(windowFrom) … "
                + "\(windowTo):",
            "  confirmed \(counts.confirmed) · unknown found \(counts.resolved) · unknown not there \(counts.notFound) "
                + "· missing \(counts.missing) · ambiguous \(counts.ambiguous) · not checkable \(counts.unconfirmed)"
                + (counts.groupsMissing > 0 ? " · orders whose user lacks a group \(counts.groupsMissing)" : ""),
        ]
        if counts.unconfirmed > 0 {
            lines.append(
                "  (not checkable: rows whose user or order existed before the window, so the exports do not "
                    + "list them; --since DATE widens it)")
        }
        if !changes.isEmpty {
            lines.append("Changed in the ledger (\(changes.count) row(s)):")
            for change in changes.prefix(Self.listedChanges) {
                lines.append(
                    "  line \(change.line): \(change.verdict) → \(change.state.rawValue)"
                        + (change.message.map { ": \($0)" } ?? ""))
            }
            if changes.count > Self.listedChanges {
                lines.append("  … and \(changes.count - Self.listedChanges) more (--json, or gcimport report)")
            }
        }
        lines.append(
            "\(calls) account API request(s) made; \(budgetLeft) of the 2-hour export budget of this ledger's "
                + "verifications left.")
        if counts.notFound + counts.missing > 0 {
            lines.append(
                "Next: gcimport retry --ledger \(ledger)   (sends the \(counts.notFound + counts.missing) row(s) that "
                    + "are not in the account, once)")
        }
        if counts.groupsMissing > 0 {
            lines.append(
                "Orders without a number that landed but whose user is not in a group they sent are not sent "
                    + "again (that would make a second order): add those memberships in GetCourse.")
        }
        if counts.ambiguous > 0 {
            lines.append(
                "Ambiguous rows stay unknown: look at the candidate orders in GetCourse (gcimport report lists them).")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Why a verification could not finish.
package enum VerifyError: Error, Sendable, CustomStringConvertible {
    case ledger(LedgerError)
    /// The input or mapping changed since the ledger was written: its rows can no longer be told apart.
    case inputChanged(String)
    case input(String)
    case account(AccountError)
    case unexpectedExport(String)

    package var description: String {
        switch self {
        case .ledger(let error): "\(error)"
        case .inputChanged(let reason): reason
        case .input(let reason): reason
        case .account(let error): "\(error)"
        case .unexpectedExport(let reason): reason
        }
    }
}
