import Foundation

extension LedgerReport {
    /// The order states are listed in, the way a user reads a result: good, then what needs attention.
    static let stateOrder: [RowState] = [.ok, .skipped, .rejected, .invalid, .failed, .unknown, .missing]

    /// The human-readable report.
    package func renderText() -> String {
        var lines: [String] = []
        lines.append("Ledger   \(ledgerPath)")
        lines.append(
            "Input    \(header.input.path) (\(header.input.size) bytes, sha256 \(header.input.sha256.prefix(12))…)")
        lines.append("Mapping  \(header.mapping.path) (kind \(header.kind.rawValue))")
        lines.append("Target   \(header.target)")
        lines.append("Runs     \(runs.count)" + (runs.last.map { ", last started \($0.started)" } ?? ""))
        if let check = checks.last(where: \.passed) {
            let fields =
                check.fields == 0
                ? "no additional fields sent" : "\(check.fields) additional field(s) found in the account"
            let groups =
                check.groups == 0 ? "no groups sent" : "\(check.groups) group name(s), \(check.newGroups) of them new"
            lines.append("Check    passed \(check.t): \(fields); \(groups)")
        }
        if let verify = verifications.last {
            lines.append(Self.verificationLine(verify, count: verifications.count))
        }
        lines.append("")
        lines.append("Rows in the ledger: \(rows)")
        for state in Self.stateOrder {
            lines.append(
                "  \(state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))\(counts[state, default: 0])")
        }
        if let elapsed = elapsedSeconds, let first = firstEvent, let last = lastEvent {
            let rate = okRatePerSecond.map { String(format: "%.1f ok rows/s", $0) } ?? "-"
            lines.append("Time     \(first) → \(last) (\(String(format: "%.1f", elapsed)) s, \(rate))")
        }
        lines.append("Ids      \(userIDs.count) user ids, \(dealIDs.count) deal ids returned (--json lists them)")
        if let users = usersLine { lines.append(users) }
        if !paymentLinks.isEmpty {
            lines.append("Links    \(paymentLinks.count) payment link(s) returned (--json lists them with their lines)")
        }
        if !errorGroups.isEmpty {
            lines.append("")
            lines.append("Rows that need attention, by message:")
            for group in errorGroups {
                let examples = group.exampleLines.map(String.init).joined(separator: ", ")
                let more = group.count > group.exampleLines.count ? ", …" : ""
                lines.append("  \(group.count) \(group.state.rawValue): \(group.message)")
                lines.append("      lines \(examples)\(more)")
                if let advice = group.advice { lines.append("      what to do: \(advice)") }
            }
            lines.append("")
            lines.append(
                "Next: `gcimport failed --ledger \(ledgerPath) -o rows-to-fix.csv` writes these rows with their errors."
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `Users    250 created, 40 already there and left unchanged …`, from the answers' `user_status`.
    var usersLine: String? {
        guard !userStatuses.isEmpty else { return nil }
        var parts: [String] = []
        if let added = userStatuses["added"] { parts.append("\(added) created") }
        if let updated = userStatuses["updated"] { parts.append("\(updated) already there and updated") }
        if let exists = userStatuses["exists"] {
            parts.append(
                "\(exists) already there and left unchanged (refresh_if_exists 0: GetCourse kept their data and "
                    + "added none of the row's groups; send those rows with system.refresh_if_exists: 1 to update them)"
            )
        }
        for (status, count) in userStatuses.sorted(by: { $0.key < $1.key })
        where !["added", "updated", "exists"].contains(status) {
            parts.append("\(count) «\(status)»")
        }
        return "Users    " + parts.joined(separator: ", ")
    }

    static func verificationLine(_ verify: LedgerVerifyRecord, count: Int) -> String {
        let counts = verify.counts
        let head =
            verify.complete
            ? "Verified \(verify.t) against the account (window \(verify.windowFrom) … \(verify.windowTo))"
            : "Verified \(verify.t): stopped before comparing (\(verify.stopped ?? "interrupted"))"
        var text =
            head + ": \(counts.confirmed) confirmed, \(counts.resolved) unknown found, "
            + "\(counts.notFound) unknown not there, \(counts.missing) missing, \(counts.ambiguous) ambiguous, "
            + "\(counts.unconfirmed) not checkable"
        if count > 1 { text += " (\(count) verifications)" }
        return text
    }

    /// The `--json` report: one object with stable keys.
    package func renderJSON() -> String {
        let object = JSONReport(
            ledger: ledgerPath, input: header.input.path, mapping: header.mapping.path, kind: header.kind.rawValue,
            target: header.target, runs: runs.count, rows: rows,
            counts: Dictionary(uniqueKeysWithValues: Self.stateOrder.map { ($0.rawValue, counts[$0, default: 0]) }),
            errors: errorGroups.map {
                .init(
                    state: $0.state.rawValue, message: $0.message, count: $0.count, lines: $0.exampleLines,
                    advice: $0.advice)
            },
            userIDs: userIDs, dealIDs: dealIDs, userStatuses: userStatuses, paymentLinks: paymentLinks,
            firstEvent: firstEvent, lastEvent: lastEvent,
            elapsedSeconds: elapsedSeconds, okRatePerSecond: okRatePerSecond, check: checks.last(where: \.passed),
            verifications: verifications)
        return ReportJSON.encode(object)
    }
}

private struct JSONReport: Encodable {
    struct Group: Encodable {
        var state: String
        var message: String
        var count: Int
        var lines: [Int]
        var advice: String?
    }

    var ledger: String
    var input: String
    var mapping: String
    var kind: String
    var target: String
    var runs: Int
    var rows: Int
    var counts: [String: Int]
    var errors: [Group]
    var userIDs: [String]
    var dealIDs: [String]
    var userStatuses: [String: Int]
    var paymentLinks: [LedgerReport.PaymentLink]
    var firstEvent: String?
    var lastEvent: String?
    var elapsedSeconds: Double?
    var okRatePerSecond: Double?
    var check: LedgerCheckRecord?
    var verifications: [LedgerVerifyRecord]

    enum CodingKeys: String, CodingKey {
        case ledger, input, mapping, kind, target, runs, rows, counts, errors, check, verifications
        case userIDs = "user_ids"
        case dealIDs = "deal_ids"
        case userStatuses = "user_statuses"
        case paymentLinks = "payment_links"
        case firstEvent = "first_event"
        case lastEvent = "last_event"
        case elapsedSeconds = "elapsed_s"
        case okRatePerSecond = "rate_per_s"
    }
}
