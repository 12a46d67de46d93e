public import CSVReader

/// The file and its mapper, opened and checked before the run starts.
///
/// `@unchecked Sendable`: the reader and mapper are used by one thread at a time. The command opens them
/// (so a bad file fails before anything is sent) and then hands them to the producer thread, which is the
/// only user from then on.
public final class RowSource: @unchecked Sendable {
    let reader: CSVFileReader
    let mapper: RowMapper
    public let inputPath: String

    public init(reader: CSVFileReader, mapper: RowMapper, inputPath: String) {
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

    /// The last data row read; after a stop, rows after it were never looked at.
    struct Progress: Sendable {
        var rowsRead = 0
        var lastRow = 0
        var finished = false
    }

    @available(*, noasync, message: "reads the file on the calling thread")
    func run() -> Progress {
        var progress = Progress()
        defer { queue.finishProducing() }
        while !control.isStopping {
            let record: CSVRecord?
            do {
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
                guard try settleOrEnqueue(record) else { return progress }
            } catch {
                // The row keeps the state the ledger had; nothing more can be recorded.
                tally.add(prior?.state(ofRow: record.row))
                control.stop(.ledgerFailed("\(error)"))
                return progress
            }
        }
        return progress
    }

    /// False when the queue refused the row because the run is stopping.
    private func settleOrEnqueue(_ record: CSVRecord) throws(LedgerError) -> Bool {
        let priorState = prior?.state(ofRow: record.row)
        if selection.keepsWithoutMapping(priorState) {
            tally.add(priorState)
            return true
        }
        // A broken CSV row (ragged, stray quote…) comes back from the mapper as invalid, with its line.
        switch source.mapper.map(record) {
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
                            + "a deal without deal_number would be created twice (check it in GetCourse, or "
                            + "pass --resend-unknown)")
                }
                tally.add(.unknown)
            case .send:
                let item = WorkItem(
                    payload: payload, earlierAttempts: prior?.attempts(ofRow: payload.row) ?? 0,
                    ledgerState: priorState)
                return queue.put(item)
            }
        }
        return true
    }
}
