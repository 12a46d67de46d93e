/// A ledger read back for `verify`: per row, the last state with the ids and texts it carries, plus the
/// exports and verifications already recorded.
struct VerifyLedger: Sendable {
    /// What verify needs of one row.
    struct Row: Sendable, Equatable {
        var line: Int
        var state: RowState
        var userID: String?
        var dealID: String?
        var userStatus: String?
        var error: String?
    }

    var header: LedgerHeader
    /// Every data row with a line, at index row - 1 (rows are numbered densely from 1).
    var rows: [Row?] = []
    var runs: [LedgerRunRecord] = []
    var exports: [LedgerExportRecord] = []
    var verifications: [LedgerVerifyRecord] = []
    /// The position of the last run or retry among the typed lines: exports recorded after it still
    /// describe the account as it is.
    var exportsSinceLastRun: [LedgerExportRecord] = []

    static func load(path: String) throws(LedgerError) -> VerifyLedger {
        let reader = try LedgerReader(path: path)
        guard case .header(let header)? = try reader.next() else { throw LedgerError(.notALedger(path: path)) }
        var ledger = VerifyLedger(header: header)
        while let line = try reader.next() {
            switch line {
            case .header:
                throw LedgerError(.damaged(path: path, line: reader.lineNumber, reason: "a second header"))
            case .run(let run):
                ledger.runs.append(run)
                ledger.exportsSinceLastRun = []
            case .check:
                break
            case .export(let export):
                ledger.exports.append(export)
                ledger.exportsSinceLastRun.append(export)
            case .verify(let verify):
                ledger.verifications.append(verify)
            case .event(let event):
                ledger.record(event)
            }
        }
        return ledger
    }

    /// The row's facts, or nil when the ledger has no line for it.
    func row(_ number: Int) -> Row? {
        number >= 1 && number <= rows.count ? rows[number - 1] : nil
    }

    private mutating func record(_ event: LedgerEvent) {
        guard event.row >= 1 else { return }
        if event.row > rows.count { rows.append(contentsOf: repeatElement(nil, count: event.row - rows.count)) }
        var row = rows[event.row - 1] ?? Row(line: event.line, state: event.state)
        row.line = event.line
        row.state = event.state
        row.error = event.error
        // Ids belong to the answer that carried them: a new attempt starts without them.
        if event.state == .sent || event.verified == nil {
            row.userID = event.userID
            row.dealID = event.dealID
            row.userStatus = event.userStatus
        } else {
            row.userID = event.userID ?? row.userID
            row.dealID = event.dealID ?? row.dealID
            row.userStatus = event.userStatus ?? row.userStatus
        }
        rows[event.row - 1] = row
    }

    /// Account calls recorded in the ledger, for the export budget: (when, how many).
    var recordedCalls: [(at: Double, count: Int)] {
        exports.compactMap { record in LedgerClock.parse(record.t).map { ($0, record.calls) } }
            + verifications.compactMap { record in LedgerClock.parse(record.t).map { ($0, record.calls) } }
    }

    /// When the first run started (seconds since 1970).
    var firstRunStarted: Double? {
        (runs.compactMap { LedgerClock.parse($0.started) } + [LedgerClock.parse(header.started)].compactMap { $0 })
            .min()
    }
}
