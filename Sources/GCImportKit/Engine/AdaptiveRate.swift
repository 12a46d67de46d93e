import Synchronization

/// `--rate auto`: GetCourse publishes no rate limit, so the run finds the account's from its answers.
///
/// Additive increase, multiplicative decrease over one-second windows: while answers are clean and the
/// limiter is what holds the workers back, the rate grows (by a quarter a second until the first pushback,
/// then by 2 %); a 429 or `Retry-After` cuts it by 15 %, a burst of 5xx answers or timeouts by 30 %. It
/// never leaves `AdaptiveRange` and changes at most once a window after a cut, so the one pushback every
/// worker meets at the same moment counts once.
final class AdaptiveRate: Sendable {
    /// What one answer says about the rate.
    enum Signal: Sendable {
        /// An answer about the row (ok or a refusal of its data): the service kept up.
        case clean
        /// 429 or `Retry-After`: over the account's limit.
        case pushback
        /// A 5xx answer, a timeout or a dropped connection: the service may be overloaded.
        case overload
    }

    static let window: UInt64 = 1_000_000_000
    /// 5xx answers or timeouts within a window that count as a burst.
    static let overloadBurst = 3

    private struct State {
        var rate: Double
        var searching = true
        var windowStart: UInt64
        var answers = 0
        var troubled = false
        var overloads = 0
        /// No change before this instant: the window after a cut.
        var holdUntil: UInt64 = 0
    }

    let range: RateLimit.AdaptiveRange
    private let bucket: TokenBucket
    private let state: Mutex<State>

    init(range: RateLimit.AdaptiveRange, bucket: TokenBucket, now: UInt64 = Monotonic.now()) {
        self.range = range
        self.bucket = bucket
        state = Mutex(State(rate: range.start, windowStart: now))
        bucket.setRate(perSecond: range.start)
    }

    /// Calls a second in force.
    var perSecond: Double { state.withLock { $0.rate } }

    /// Takes one answer into account and sets the bucket's rate when it changes.
    func record(_ signal: Signal, now: UInt64 = Monotonic.now()) {
        let changed: Double? = state.withLock { state in
            state.answers += 1
            switch signal {
            case .clean:
                break
            case .pushback:
                state.troubled = true
                if now >= state.holdUntil { return cut(&state, by: 0.85, now: now) }
            case .overload:
                state.troubled = true
                state.overloads += 1
                if state.overloads >= Self.overloadBurst, now >= state.holdUntil {
                    return cut(&state, by: 0.7, now: now)
                }
            }
            guard now >= state.windowStart + Self.window else { return nil }
            // The limiter held the workers back when answers came at (nearly) the rate.
            let seconds = Double(now - state.windowStart) / 1e9
            let busy = Double(state.answers) >= 0.8 * state.rate * seconds
            let grow = !state.troubled && busy && now >= state.holdUntil
            let previous = state.rate
            if grow {
                let next = state.searching ? state.rate * 1.25 : state.rate + max(0.2, state.rate * 0.02)
                state.rate = min(range.ceiling, next)
            }
            startWindow(&state, now: now)
            return state.rate != previous ? state.rate : nil
        }
        if let changed { bucket.setRate(perSecond: changed) }
    }

    private func cut(_ state: inout State, by factor: Double, now: UInt64) -> Double? {
        let previous = state.rate
        state.rate = max(range.floor, state.rate * factor)
        state.searching = false
        state.holdUntil = now + Self.window
        startWindow(&state, now: now)
        return state.rate != previous ? state.rate : nil
    }

    private func startWindow(_ state: inout State, now: UInt64) {
        state.windowStart = now
        state.answers = 0
        state.troubled = false
        state.overloads = 0
    }
}

extension AdaptiveRate.Signal {
    /// The signal of a call's result; nil for a refusal that stops the run.
    init?(_ result: CallResult) {
        switch result.outcome {
        case .ok, .rejected: self = .clean
        case .failed(_, _, let isPushback): self = isPushback ? .pushback : .overload
        case .unknown: self = .overload
        case .fatal: return nil
        }
    }
}
