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
    /// Rows with the same key are sent one after another, in file order (see `WorkQueue`); nil: no key.
    let orderKey: Int?

    init(payload: ImportPayload, earlierAttempts: Int, ledgerState: RowState?, orderKey: Int? = nil) {
        self.payload = payload
        self.earlierAttempts = earlierAttempts
        self.ledgerState = ledgerState
        self.orderKey = orderKey
    }

    /// The attempt number of the next send, as the ledger shows it.
    var nextAttempt: Int { earlierAttempts + tries + pushbacks + 1 }
}

extension ImportPayload {
    /// What rows must not overtake each other on, hashed: rows with the same key change the same object in
    /// GetCourse, so the file's order decides which values it ends with. Users: the email; deals: the number,
    /// else the buyer's email (whose user the deal may update); group lists: the user id. A collision only
    /// makes two unrelated rows wait for each other.
    var orderKey: Int? {
        var hasher = Hasher()
        switch kind {
        case .user, .userGroups:
            guard let naturalKey else { return nil }
            hasher.combine(0)
            hasher.combine(naturalKey)
        case .deal, .dealStatus:
            if dealNumber != nil, let naturalKey {
                hasher.combine(1)
                hasher.combine(naturalKey)
            } else if let email {
                hasher.combine(2)
                hasher.combine(email)
            } else {
                return nil
            }
        }
        return hasher.finalize()
    }
}
