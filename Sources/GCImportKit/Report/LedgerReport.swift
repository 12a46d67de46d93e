import Foundation

/// What a ledger says about an import: counts per final state, the errors grouped by message, the ids
/// GetCourse returned, and when and how fast it ran. Built in one streaming pass over the ledger.
package struct LedgerReport: Sendable {
    /// Rows that ended with the same state and message.
    package struct ErrorGroup: Sendable, Equatable {
        package var state: RowState
        package var message: String
        var count: Int
        /// The first few input lines, for finding examples in the file.
        package var exampleLines: [Int]
        /// What to do about it, when the message's cause is known.
        var advice: String? { state == .rejected ? RejectionAdvice.advice(for: message) : nil }
    }

    var ledgerPath: String
    var header: LedgerHeader
    var runs: [LedgerRunRecord]
    /// `run`'s preflight checks and `verify`'s findings, oldest first.
    var checks: [LedgerCheckRecord]
    var verifications: [LedgerVerifyRecord]
    /// Rows with at least one line, per final state (a row still `sent` counts as unknown).
    package var counts: [RowState: Int]
    package var rows: Int
    package var errorGroups: [ErrorGroup]
    package var userIDs: [String]
    var dealIDs: [String]
    /// Ok rows per `user_status` GetCourse answered (`added`, `updated`, `exists`); rows without one are
    /// not counted.
    var userStatuses: [String: Int]
    /// Payment pages returned for orders (under `system.return_payment_link`), in row order.
    var paymentLinks: [PaymentLink]

    /// One order's payment page, with where its row is.
    package struct PaymentLink: Sendable, Equatable, Encodable {
        var row: Int
        var line: Int
        var dealNumber: String?
        var link: String

        enum CodingKeys: String, CodingKey {
            case row, line, link
            case dealNumber = "deal_number"
        }
    }
    var firstEvent: String?
    var lastEvent: String?
    /// Calls over time, outcomes and latencies, for the HTML report.
    var timeline = ReportTimeline()
    /// Rows that finished ok per second between the first and the last event.
    var okRatePerSecond: Double? {
        guard let first = firstEvent.flatMap(LedgerClock.parse), let last = lastEvent.flatMap(LedgerClock.parse),
            last > first
        else { return nil }
        return Double(counts[.ok, default: 0]) / (last - first)
    }

    package var elapsedSeconds: Double? {
        guard let first = firstEvent.flatMap(LedgerClock.parse), let last = lastEvent.flatMap(LedgerClock.parse)
        else { return nil }
        return last - first
    }

    static let examplesPerGroup = 5

    /// Reads the whole ledger once and sums it up: each row's last state, errors grouped, ids, timings.
    package static func build(ledgerPath: String) throws(LedgerError) -> LedgerReport {
        let reader = try LedgerReader(path: ledgerPath)
        guard case .header(let header)? = try reader.next() else { throw LedgerError(.notALedger(path: ledgerPath)) }
        var runs: [LedgerRunRecord] = []
        var checks: [LedgerCheckRecord] = []
        var verifications: [LedgerVerifyRecord] = []
        var snapshot = LedgerSnapshot(header: header)
        // Only rows whose latest line is a problem are kept, so memory follows the problems, not the file.
        var problems: [Int: LedgerEvent] = [:]
        var okRows: [Int: OkRow] = [:]
        var first: String?
        var last: String?
        var timeline = ReportTimeline()
        while let line = try reader.next() {
            switch line {
            case .header:
                throw LedgerError(.damaged(path: ledgerPath, line: reader.lineNumber, reason: "a second header"))
            case .run(let run):
                runs.append(run)
                timeline.addRun(run)
            case .check(let check):
                checks.append(check)
            case .verify(let verify):
                verifications.append(verify)
            case .export:
                break
            case .event(let event):
                snapshot.record(event)
                timeline.add(event)
                // The time span is the runs': a verification days later is not part of the import's rate.
                if event.verified == nil {
                    if first == nil { first = event.t }
                    last = event.t
                }
                switch event.state {
                case .ok:
                    problems[event.row] = nil
                    // A verification's ok line carries ids it found, not the answer's status or link.
                    let earlier = okRows[event.row]
                    let link = event.paymentLink ?? earlier?.paymentLink
                    okRows[event.row] = OkRow(
                        line: event.line, userID: event.userID, dealID: event.dealID,
                        userStatus: event.userStatus ?? earlier?.userStatus, paymentLink: link,
                        dealNumber: link == nil ? nil : event.dealNumber)
                case .skipped:
                    problems[event.row] = nil
                case .sent:
                    // Sent with no answer after it: keep the earlier problem text if there was one.
                    var pending = event
                    pending.error = problems[event.row]?.error ?? "sent, no answer recorded (the run stopped)"
                    problems[event.row] = pending
                case .rejected, .failed, .unknown, .invalid, .missing:
                    problems[event.row] = event
                }
            }
        }
        // A row that went wrong after its ok (missing) no longer counts as landed.
        let landed = okRows.keys.sorted().compactMap { row in problems[row] == nil ? okRows[row].map { (row, $0) } : nil
        }
        var statuses: [String: Int] = [:]
        for (_, ok) in landed { if let status = ok.userStatus { statuses[status, default: 0] += 1 } }
        return LedgerReport(
            ledgerPath: ledgerPath, header: header, runs: runs, checks: checks, verifications: verifications,
            counts: snapshot.counts(),
            rows: snapshot.counts().values.reduce(0, +), errorGroups: group(problems),
            userIDs: landed.compactMap(\.1.userID), dealIDs: landed.compactMap(\.1.dealID), userStatuses: statuses,
            paymentLinks: landed.compactMap { row, ok in
                ok.paymentLink.map { PaymentLink(row: row, line: ok.line, dealNumber: ok.dealNumber, link: $0) }
            },
            firstEvent: first, lastEvent: last, timeline: timeline)
    }

    /// What the report keeps of a row that landed: small, as a report reads a million of them.
    private struct OkRow {
        var line: Int
        var userID: String?
        var dealID: String?
        var userStatus: String?
        var paymentLink: String?
        var dealNumber: String?
    }

    private static func group(_ problems: [Int: LedgerEvent]) -> [ErrorGroup] {
        var groups: [String: ErrorGroup] = [:]
        for row in problems.keys.sorted() {
            guard let event = problems[row] else { continue }
            let state = event.state.summaryState
            let message = event.error ?? "(no message)"
            let key = state.rawValue + "\u{0}" + message
            var group = groups[key] ?? ErrorGroup(state: state, message: message, count: 0, exampleLines: [])
            group.count += 1
            if group.exampleLines.count < examplesPerGroup { group.exampleLines.append(event.line) }
            groups[key] = group
        }
        return groups.values.sorted { ($0.count, $1.message) > ($1.count, $0.message) }
    }
}
