import CSVReader

/// The file and its mapper, opened and checked before the run starts.
///
/// `@unchecked Sendable`: the reader and mapper are used by one thread at a time. The command opens them
/// (so a bad file fails before anything is sent) and then hands them to the producer thread, which is the
/// only user from then on.
package final class RowSource: @unchecked Sendable {
    let reader: CSVFileReader
    let mapper: RowMapper
    let inputPath: String

    init(reader: CSVFileReader, mapper: RowMapper, inputPath: String) {
        self.reader = reader
        self.mapper = mapper
        self.inputPath = inputPath
    }
}

/// Reads rows, maps them, settles the ones that need no call (done earlier, invalid, skipped by a rule) and
/// hands the rest to the workers through the bounded queue.
struct RowProducer: Sendable {
    let source: RowSource
    let selection: RowSelection
    let prior: LedgerSnapshot?
    let ledger: RunLedger
    let queue: WorkQueue
    let tally: RowTally
    let control: RunControl
    /// Rows sharing a key go out in file order (`RunConfiguration.ordersSameKeyRows`).
    let ordered: Bool

    /// The last data row read; after a stop, rows after it were never looked at.
    struct Progress: Sendable {
        var rowsRead = 0
        var lastRow = 0
        var finished = false
    }

    @available(*, noasync, message: "reads the file on the calling thread")
    func run() -> Progress {
        var progress = Progress()
        var resent = ResentKeys(lastOkRow: ordered ? prior?.lastRow(in: .ok) ?? 0 : 0)
        defer { queue.finishProducing() }
        while !control.isStopping {
            let record: CSVRecord?
            do {
                // A row the ledger shows done, and that no resend makes go again, is not even decoded: a
                // resume passes a million of them.
                if canPass(row: source.reader.nextRow, resent: resent) {
                    guard let row = try source.reader.skip() else {
                        progress.finished = true
                        return progress
                    }
                    progress.rowsRead += 1
                    progress.lastRow = row
                    tally.add(prior?.state(ofRow: row))
                    continue
                }
                record = try source.reader.next()
            } catch {
                control.stop(.inputFailed("\(error)"))
                return progress
            }
            guard let record else {
                progress.finished = true
                return progress
            }
            progress.rowsRead += 1
            progress.lastRow = record.row
            do {
                guard try settleOrEnqueue(record, resent: &resent) else { return progress }
            } catch {
                // The row keeps the state the ledger had; nothing more can be recorded.
                tally.add(prior?.state(ofRow: record.row))
                control.stop(.ledgerFailed("\(error)"))
                return progress
            }
        }
        return progress
    }

    /// Whether the row stays as the ledger has it whatever it holds (what `settleOrEnqueue` decides first).
    private func canPass(row: Int, resent: ResentKeys) -> Bool {
        let priorState = prior?.state(ofRow: row)
        let mayFollowAResend = priorState == .ok && resent.mayFollow(row: row)
        return !mayFollowAResend && selection.keepsWithoutMapping(priorState)
    }

    /// False when the queue refused the row because the run is stopping.
    private func settleOrEnqueue(_ record: CSVRecord, resent: inout ResentKeys) throws(LedgerError) -> Bool {
        // Rows `canPass` lets through were never decoded, so this row is to be sent, or it is an ok row that
        // landed after an earlier row with its key: it must land again after that row is sent again, or the
        // earlier row's older values would win; so such a row is mapped to learn its key.
        let priorState = prior?.state(ofRow: record.row)
        let mayFollowAResend = priorState == .ok && resent.mayFollow(row: record.row)
        // A broken CSV row (ragged, stray quote…) comes back from the mapper as invalid, with its line.
        let mapped = source.mapper.map(record)
        guard mayFollowAResend else { return try settle(mapped, priorState: priorState, resent: &resent) }
        // An ok row is kept (no selection sends ok rows) unless an earlier row with its key is sent again.
        guard case .payload(let payload) = mapped, payload.isIdempotent, let key = payload.orderKey,
            resent.contains(key)
        else {
            tally.add(priorState)
            return true
        }
        return send(payload, priorState: priorState)
    }

    private func settle(_ mapped: MappedRow, priorState: RowState?, resent: inout ResentKeys) throws(LedgerError)
        -> Bool
    {
        switch mapped {
        case .invalid(let row, let line, let errors):
            try ledger.unsent(
                row: row, line: line, state: .invalid, error: errors.map(\.description).joined(separator: "; "))
            tally.add(.invalid)
        case .skipped(let row, let line, let reason):
            try ledger.unsent(row: row, line: line, state: .skipped, error: reason)
            tally.add(.skipped)
        case .payload(let payload):
            switch selection.decide(prior: priorState, isIdempotent: payload.isIdempotent) {
            case .keep:
                tally.add(priorState)
            case .leaveUnknown:
                if priorState == .sent {
                    try ledger.unsent(
                        row: payload.row, line: payload.line, state: .unknown,
                        error: "sent by an earlier run that stopped before the answer; not sent again because "
                            + "the same order could be created twice (check it with `gcimport verify`, or pass "
                            + "--resend-unknown)")
                }
                tally.add(.unknown)
            case .send:
                if let key = payload.orderKey, resent.tracks(row: payload.row) { resent.insert(key) }
                return send(payload, priorState: priorState)
            }
        }
        return true
    }

    private func send(_ payload: ImportPayload, priorState: RowState?) -> Bool {
        let item = WorkItem(
            payload: payload, earlierAttempts: prior?.attempts(ofRow: payload.row) ?? 0, ledgerState: priorState,
            orderKey: ordered ? payload.orderKey : nil)
        return queue.put(item)
    }
}

/// The keys of rows this run sends again while the ledger already has later rows ok: such later rows with
/// the same key are sent again too, after them. Only rows up to the last ok row can matter, so a fresh run
/// (or the part of a resume past the ledger's end) keeps nothing here.
struct ResentKeys {
    let lastOkRow: Int
    private var keys: Set<Int> = []

    init(lastOkRow: Int) {
        self.lastOkRow = lastOkRow
    }

    /// Whether a row sent now has a later ok row whose key it could share.
    func tracks(row: Int) -> Bool { row < lastOkRow }
    /// Whether an ok row might share its key with a row sent again before it.
    func mayFollow(row: Int) -> Bool { !keys.isEmpty && row <= lastOkRow }
    func contains(_ key: Int) -> Bool { keys.contains(key) }
    mutating func insert(_ key: Int) { keys.insert(key) }
}
