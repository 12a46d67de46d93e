import Foundation
import Synchronization

/// The account's export budget as gcimport spends it: GetCourse answers at most 100 export API requests per
/// account in 2 hours (903 after that). Every account call is counted, those recorded in the ledger by
/// earlier runs of `verify` included, so gcimport stops before the account has to refuse.
package final class ExportBudget: Sendable {
    /// The documented limit and window.
    package static let documentedLimit = 100
    static let documentedWindow: Double = 7200

    let limit: Int
    let window: Double
    private struct State {
        /// When each counted call was made, in seconds since 1970, oldest first.
        var calls: [Double] = []
        /// Calls made since `takeUnrecorded()` last ran, for the ledger.
        var unrecorded = 0
        /// Calls this process made.
        var taken = 0
    }

    private let state: Mutex<State>

    /// - Parameter prior: calls recorded earlier, as (seconds since 1970, count); those older than the
    ///   window no longer count.
    init(
        limit: Int = ExportBudget.documentedLimit, window: Double = ExportBudget.documentedWindow,
        prior: [(at: Double, count: Int)] = [], now: Double? = nil
    ) {
        let now = now ?? Date().timeIntervalSince1970
        self.limit = limit
        self.window = window
        var calls: [Double] = []
        for entry in prior.sorted(by: { $0.at < $1.at }) where now - entry.at < window {
            calls.append(contentsOf: repeatElement(entry.at, count: max(0, entry.count)))
        }
        state = Mutex(State(calls: calls))
    }

    /// Counts one call; false, counting nothing, when the budget is spent.
    func take(now: Double = Date().timeIntervalSince1970) -> Bool {
        state.withLock { state in
            state.calls.removeAll { now - $0 >= window }
            guard state.calls.count < limit else { return false }
            state.calls.append(now)
            state.unrecorded += 1
            state.taken += 1
            return true
        }
    }

    /// Calls counted in the window now.
    func used(now: Double? = nil) -> Int {
        let now = now ?? Date().timeIntervalSince1970
        return state.withLock { state in state.calls.filter { now - $0 < window }.count }
    }

    func remaining(now: Double? = nil) -> Int { max(0, limit - used(now: now)) }

    /// When the oldest counted call leaves the window (and one more call is allowed), or nil when one is.
    func nextFree(now: Double? = nil) -> Double? {
        let now = now ?? Date().timeIntervalSince1970
        return state.withLock { state in
            let live = state.calls.filter { now - $0 < window }
            guard live.count >= limit, let oldest = live.first else { return nil }
            return oldest + window
        }
    }

    /// Calls this process made (the others in the window were recorded by earlier runs).
    var taken: Int { state.withLock { $0.taken } }

    /// Calls made since the last time this was asked, for the ledger line that records them.
    func takeUnrecorded() -> Int {
        state.withLock { state in
            defer { state.unrecorded = 0 }
            return state.unrecorded
        }
    }
}
