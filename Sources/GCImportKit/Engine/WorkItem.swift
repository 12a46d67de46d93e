/// One row on its way to GetCourse, with what is known of its history.
struct WorkItem: Sendable {
    var payload: ImportPayload
    /// Attempts recorded in the ledger by earlier runs; this run's attempt numbers continue from it.
    var earlierAttempts: Int
    /// Attempts made by this run (`--max-attempts` is a budget per run).
    var tries = 0
    /// Times the service pushed back (429…) on this row during this run; these do not use up `tries`.
    var pushbacks = 0
    /// The row's state in the ledger right now (`nil`: nothing recorded yet). It is what the summary
    /// counts the row as if the run stops before the row is finished.
    var ledgerState: RowState?

    init(payload: ImportPayload, earlierAttempts: Int, ledgerState: RowState?) {
        self.payload = payload
        self.earlierAttempts = earlierAttempts
        self.ledgerState = ledgerState
    }

    /// The attempt number of the next send, as the ledger shows it.
    var nextAttempt: Int { earlierAttempts + tries + pushbacks + 1 }
}
