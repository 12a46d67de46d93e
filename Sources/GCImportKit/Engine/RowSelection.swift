/// Which rows a run sends, given what the ledger already says about them.
package enum RowSelection: Sendable, Equatable {
    /// `run`: every row not yet done. Rows left in `sent`/`unknown` are sent again only when the call is
    /// idempotent, unless `resendUnknown`.
    case resume(resendUnknown: Bool)
    /// `retry`: only rows whose ledger state is one of these (failed, and rejected when asked).
    case retry(states: Set<RowState>)

    /// What to do with a mapped payload whose ledger state is `prior`.
    func decide(prior: RowState?, isIdempotent: Bool) -> Decision {
        switch self {
        case .resume(let resendUnknown):
            switch prior {
            case nil, .failed: return .send
            case .sent, .unknown:
                if isIdempotent || resendUnknown { return .send }
                return .leaveUnknown
            case .some(let state): return state.isDone ? .keep : .send
            }
        case .retry(let states):
            guard let prior, states.contains(prior) else { return .keep }
            return .send
        }
    }

    /// Whether a row in state `prior` can be settled without reading or mapping it again.
    func keepsWithoutMapping(_ prior: RowState?) -> Bool {
        switch self {
        case .resume: return prior?.isDone ?? false
        case .retry(let states): return !(prior.map(states.contains) ?? false)
        }
    }

    enum Decision: Equatable {
        /// Send it.
        case send
        /// Leave it in the state the ledger shows.
        case keep
        /// It was sent before with no answer and is not safe to send again: report it as unknown.
        case leaveUnknown
    }
}
