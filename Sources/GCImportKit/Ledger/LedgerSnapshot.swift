/// A ledger read back into the per-row facts a resume needs, in compact tables (two bytes a row), so a
/// million-row ledger loads in well under a second and a few megabytes.
package struct LedgerSnapshot: Sendable {
    var header: LedgerHeader
    var runs: [LedgerRunRecord]
    /// Preflight checks `run` recorded; a resume skips the check when one passed.
    var checks: [LedgerCheckRecord]
    var verifications: [LedgerVerifyRecord]
    /// State code per row (index row - 1); 0 = no line for that row.
    private var states: [UInt8]
    /// Highest attempt seen per row, saturating at 255.
    private var attemptTable: [UInt8]
    /// True when the last line was torn by a crash and ignored.
    var hadTornLine: Bool

    /// The highest row number with a line in the ledger.
    var rowCount: Int { states.count }

    init(header: LedgerHeader) {
        self.header = header
        self.runs = []
        self.checks = []
        self.verifications = []
        self.states = []
        self.attemptTable = []
        self.hadTornLine = false
    }

    static func load(path: String) throws(LedgerError) -> LedgerSnapshot {
        let reader = try LedgerReader(path: path)
        guard case .header(let header)? = try reader.next() else { throw LedgerError(.notALedger(path: path)) }
        var snapshot = LedgerSnapshot(header: header)
        while let compact = try reader.nextCompact() {
            let line: LedgerLine
            switch compact {
            case .event(let essentials):
                snapshot.record(row: essentials.row, state: essentials.state, attempt: essentials.attempt)
                continue
            case .line(let whole): line = whole
            }
            switch line {
            case .event(let event): snapshot.record(row: event.row, state: event.state, attempt: event.attempt)
            case .run(let run): snapshot.runs.append(run)
            case .check(let check): snapshot.checks.append(check)
            case .verify(let verify): snapshot.verifications.append(verify)
            case .export: break
            case .header:
                throw LedgerError(.damaged(path: path, line: reader.lineNumber, reason: "a second header"))
            }
        }
        snapshot.hadTornLine = reader.droppedTornLine
        return snapshot
    }

    /// Whether `run`'s preflight check passed for this ledger.
    package var hasPassedCheck: Bool { checks.contains { $0.passed } }

    /// The row's state: that of its last line; nil when the ledger has no line for it.
    func state(ofRow row: Int) -> RowState? {
        guard row >= 1, row <= states.count else { return nil }
        return RowState(code: states[row - 1])
    }

    /// The highest row whose state is `state`, or 0 when none is.
    func lastRow(in state: RowState) -> Int {
        let code = state.code
        return (states.lastIndex(of: code) ?? -1) + 1
    }

    /// How many attempts the row has had over all runs.
    func attempts(ofRow row: Int) -> Int {
        guard row >= 1, row <= attemptTable.count else { return 0 }
        return Int(attemptTable[row - 1])
    }

    /// Rows per final state (a row still `sent` counts as unknown).
    package func counts() -> [RowState: Int] {
        var counts: [RowState: Int] = [:]
        for code in states {
            guard let state = RowState(code: code) else { continue }
            counts[state.summaryState, default: 0] += 1
        }
        return counts
    }

    mutating func record(_ event: LedgerEvent) {
        record(row: event.row, state: event.state, attempt: event.attempt)
    }

    mutating func record(row: Int, state: RowState, attempt: Int?) {
        guard row >= 1 else { return }
        if row > states.count {
            states.append(contentsOf: repeatElement(0, count: row - states.count))
            attemptTable.append(contentsOf: repeatElement(0, count: row - attemptTable.count))
        }
        states[row - 1] = state.code
        if let attempt {
            attemptTable[row - 1] = max(attemptTable[row - 1], UInt8(clamping: attempt))
        }
    }
}
