import Synchronization

/// How many rows are in each final state: the figures of the progress line and the summary.
package struct RowCounts: Sendable, Equatable, Codable {
    var ok = 0
    var rejected = 0
    package var failed = 0
    package var unknown = 0
    var invalid = 0
    var skipped = 0
    /// Rows `gcimport verify` did not find in the account and no run has sent again yet.
    var missing = 0
    /// Rows with nothing recorded yet: not reached, or queued when the run stopped.
    package var pending = 0

    init() {}

    /// Every row counted, pending included.
    var total: Int { ok + rejected + failed + unknown + invalid + skipped + missing + pending }
    /// Rows that reached a state.
    var settled: Int { total - pending }
    /// Rows that need the user's attention.
    package var needingAttention: Int { rejected + failed + unknown + invalid + missing }

    /// Counts one row in the state the ledger shows for it. A row last seen as `sent` is unknown: the call
    /// went out and its answer was never recorded.
    mutating func add(_ state: RowState?, count: Int = 1) {
        switch state {
        case .ok: ok += count
        case .rejected: rejected += count
        case .failed: failed += count
        case .unknown, .sent: unknown += count
        case .invalid: invalid += count
        case .skipped: skipped += count
        case .missing: missing += count
        case nil: pending += count
        }
    }
}

/// The live tally, shared by the producer, the workers and the progress line.
final class RowTally: Sendable {
    private struct State {
        var counts = RowCounts()
        /// Rows finished by a call made in this run (the rate counts these).
        var sentThisRun = 0
        /// HTTP calls made in this run, retries included.
        var calls = 0
    }

    private let state = Mutex(State())

    func add(_ state: RowState?, sentThisRun: Bool = false) {
        self.state.withLock {
            $0.counts.add(state)
            if sentThisRun { $0.sentThisRun += 1 }
        }
    }

    func countCall() {
        state.withLock { $0.calls += 1 }
    }

    var counts: RowCounts { state.withLock { $0.counts } }
    var sentThisRun: Int { state.withLock { $0.sentThisRun } }
    var calls: Int { state.withLock { $0.calls } }
}
