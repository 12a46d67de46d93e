import Foundation

/// What a ledger says about an import: counts per final state, the errors grouped by message, the ids
/// GetCourse returned, and when and how fast it ran. Built in one streaming pass over the ledger.
public struct LedgerReport: Sendable {
    /// Rows that ended with the same state and message.
    public struct ErrorGroup: Sendable, Equatable {
        public var state: RowState
        public var message: String
        public var count: Int
        /// The first few input lines, for finding examples in the file.
        public var exampleLines: [Int]
    }

    public var ledgerPath: String
    public var header: LedgerHeader
    public var runs: [LedgerRunRecord]
    /// `run`'s preflight checks and `verify`'s findings, oldest first.
    public var checks: [LedgerCheckRecord]
    public var verifications: [LedgerVerifyRecord]
    /// Rows with at least one line, per final state (a row still `sent` counts as unknown).
    public var counts: [RowState: Int]
    public var rows: Int
    public var errorGroups: [ErrorGroup]
    public var userIDs: [String]
    public var dealIDs: [String]
    public var firstEvent: String?
    public var lastEvent: String?
    /// Rows that finished ok per second between the first and the last event.
    public var okRatePerSecond: Double? {
        guard let first = firstEvent.flatMap(LedgerClock.parse), let last = lastEvent.flatMap(LedgerClock.parse),
            last > first
        else { return nil }
        return Double(counts[.ok, default: 0]) / (last - first)
    }

    public var elapsedSeconds: Double? {
        guard let first = firstEvent.flatMap(LedgerClock.parse), let last = lastEvent.flatMap(LedgerClock.parse)
        else { return nil }
        return last - first
    }

    static let examplesPerGroup = 5

    public static func build(ledgerPath: String) throws(LedgerError) -> LedgerReport {
        let reader = try LedgerReader(path: ledgerPath)
        guard case .header(let header)? = try reader.next() else { throw LedgerError(.notALedger(path: ledgerPath)) }
        var runs: [LedgerRunRecord] = []
        var checks: [LedgerCheckRecord] = []
        var verifications: [LedgerVerifyRecord] = []
        var snapshot = LedgerSnapshot(header: header)
        // Only rows whose latest line is a problem are kept, so memory follows the problems, not the file.
        var problems: [Int: LedgerEvent] = [:]
        var okIDs: [Int: (user: String?, deal: String?)] = [:]
        var first: String?
        var last: String?
        while let line = try reader.next() {
            switch line {
            case .header:
                throw LedgerError(.damaged(path: ledgerPath, line: reader.lineNumber, reason: "a second header"))
            case .run(let run):
                runs.append(run)
            case .check(let check):
                checks.append(check)
            case .verify(let verify):
                verifications.append(verify)
            case .export:
                break
            case .event(let event):
                snapshot.record(event)
                // The time span is the runs': a verification days later is not part of the import's rate.
                if event.verified == nil {
                    if first == nil { first = event.t }
                    last = event.t
                }
                switch event.state {
                case .ok:
                    problems[event.row] = nil
                    okIDs[event.row] = (event.userID, event.dealID)
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
        let rowsWithIDs = okIDs.keys.sorted()
        return LedgerReport(
            ledgerPath: ledgerPath, header: header, runs: runs, checks: checks, verifications: verifications,
            counts: snapshot.counts(),
            rows: snapshot.counts().values.reduce(0, +), errorGroups: group(problems),
            userIDs: rowsWithIDs.compactMap { okIDs[$0]?.user }, dealIDs: rowsWithIDs.compactMap { okIDs[$0]?.deal },
            firstEvent: first, lastEvent: last)
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
