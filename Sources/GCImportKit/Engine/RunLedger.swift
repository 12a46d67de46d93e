/// The run's side of the ledger: one place that turns engine events into `LedgerEvent` lines, so the rest
/// of the engine does not depend on the ledger's shape, and every error text passes through the key's
/// redaction on its way to disk.
final class RunLedger: Sendable {
    private let writer: LedgerWriter
    private let key: APIKey?

    init(writer: LedgerWriter, key: APIKey?) {
        self.writer = writer
        self.key = key
    }

    /// `sent`, written before the request goes out, so a crash right after leaves the row marked as
    /// possibly applied.
    func sent(_ payload: ImportPayload, attempt: Int, rate: Double? = nil) throws(LedgerError) {
        var event = LedgerEvent(
            row: payload.row, line: payload.line, state: .sent, attempt: attempt, httpStatus: nil, userID: nil,
            dealID: nil, dealNumber: payload.dealNumber, error: nil)
        event.rate = rate
        try writer.write(event)
    }

    /// The outcome of one attempt.
    func outcome(
        _ payload: ImportPayload, state: RowState, attempt: Int, httpStatus: Int?, userID: String? = nil,
        dealID: String? = nil, dealNumber: String? = nil, userStatus: String? = nil, paymentLink: String? = nil,
        error: String? = nil
    ) throws(LedgerError) {
        try writer.write(
            LedgerEvent(
                row: payload.row, line: payload.line, state: state, attempt: attempt, httpStatus: httpStatus,
                userID: userID, dealID: dealID, dealNumber: dealNumber ?? payload.dealNumber, userStatus: userStatus,
                paymentLink: paymentLink, error: error.map(redact)))
    }

    /// A row that is never sent (`invalid`, `skipped`) or whose earlier `sent` is settled as `unknown`.
    func unsent(row: Int, line: Int, state: RowState, error: String?) throws(LedgerError) {
        try writer.write(
            LedgerEvent(
                row: row, line: line, state: state, attempt: nil, httpStatus: nil, userID: nil, dealID: nil,
                dealNumber: nil, error: error.map(redact)))
    }

    func sync() throws(LedgerError) { try writer.sync() }
    func close() throws(LedgerError) { try writer.close() }

    private func redact(_ text: String) -> String {
        key?.redact(text) ?? text
    }
}
