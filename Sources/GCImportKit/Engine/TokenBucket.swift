import Synchronization

/// The one rate limiter all workers share: a token bucket of `burst` tokens refilled at the rate.
///
/// Implemented as reservations (the generic cell rate algorithm): each caller is handed the instant it
/// may start, computed under the lock, and sleeps outside it. So callers are served in order, the rate is
/// used fully when calls are slow (the next start does not wait for the previous answer), and no window of
/// one second ever sees more than rate + burst starts. `pause(until:)` holds everyone back, for the
/// service's `Retry-After`.
package final class TokenBucket: Sendable {
    private struct State {
        /// Theoretical arrival time of the next call when calls go at exactly the rate.
        var nextAt: UInt64 = 0
        var pausedUntil: UInt64 = 0
        /// Nanoseconds per token; nil when unlimited. Changes only under `--rate auto`.
        var interval: UInt64?
    }

    private let burst: Int
    private let state: Mutex<State>

    init(_ limit: RateLimit) {
        burst = limit.burst
        state = Mutex(State(interval: limit.perSecond.map(Self.interval(perSecond:))))
    }

    private static func interval(perSecond: Double) -> UInt64 {
        UInt64(1e9 / max(perSecond, 1e-3))
    }

    /// Calls a second now in force; nil when unlimited.
    var perSecond: Double? {
        state.withLock { $0.interval.map { 1e9 / Double($0) } }
    }

    /// Changes the rate from the next reservation on (`--rate auto`); the schedule already handed out stands.
    func setRate(perSecond: Double) {
        state.withLock { $0.interval = Self.interval(perSecond: perSecond) }
    }

    /// Reserves the next start and returns the monotonic instant at which the caller may begin.
    func reserve(now: UInt64 = Monotonic.now()) -> UInt64 {
        state.withLock { state in
            var start = max(now, state.pausedUntil)
            guard let interval = state.interval else { return start }
            // How far ahead of the schedule a call may start: (burst - 1) intervals.
            let tolerance = interval * UInt64(burst - 1)
            let earliest = state.nextAt > tolerance ? state.nextAt - tolerance : 0
            start = max(start, earliest)
            state.nextAt = max(state.nextAt, start) + interval
            return start
        }
    }

    /// Holds every worker back until `instant` (monotonic nanoseconds); a later pause wins.
    func pause(until instant: UInt64) {
        state.withLock { state in
            state.pausedUntil = max(state.pausedUntil, instant)
            // The schedule restarts after the pause, so the calls held back do not all go at once.
            if let interval = state.interval { state.nextAt = max(state.nextAt, instant + interval) }
        }
    }

    /// The instant everyone is held back until (0 when not paused).
    var pausedUntil: UInt64 { state.withLock { $0.pausedUntil } }

    /// Waits for a start slot, honouring pauses that begin while waiting. False when the run stops first.
    @available(*, noasync, message: "blocks its thread; call it from a worker queue")
    func acquire(control: RunControl) -> Bool {
        while true {
            let start = reserve()
            guard control.sleep(until: start) else { return false }
            // A pause may have begun while we slept: honour it, then take a fresh slot.
            if pausedUntil <= Monotonic.now() { return true }
        }
    }
}
