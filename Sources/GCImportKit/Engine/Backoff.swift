/// Capped exponential backoff with full jitter: attempt n waits a random time in
/// `0...min(cap, base * 2^(n-1))`, so retries from many workers spread out instead of arriving together.
package struct Backoff: Sendable, Equatable {
    /// Seconds before the first retry, at most.
    var base: Double
    /// The longest wait, in seconds.
    var cap: Double
    /// The longest `Retry-After` honoured, in seconds; a service asking for more is still obeyed, but
    /// only this long at a time (the row is then tried again, and may be told to wait again).
    var maxRetryAfter: Double

    package init(base: Double = 0.5, cap: Double = 30, maxRetryAfter: Double = 600) {
        self.base = base
        self.cap = cap
        self.maxRetryAfter = maxRetryAfter
    }

    /// The ceiling for the wait after failed attempt `attempt` (1-based).
    func ceiling(afterAttempt attempt: Int) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        return min(cap, base * pow2(exponent))
    }

    /// A jittered wait after failed attempt `attempt`, or the service's own hint when it gave one.
    func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double = Double.random(in: 0...1))
        -> Double
    {
        if let retryAfter { return min(max(0, retryAfter), maxRetryAfter) }
        return ceiling(afterAttempt: attempt) * random
    }

    /// How long every worker holds back after the service pushed back without saying how long: never
    /// nothing (full jitter could pick zero), at least half the ceiling.
    func pause(afterPushback count: Int, retryAfter: Double?, random: Double = Double.random(in: 0...1))
        -> Double
    {
        if let retryAfter { return min(max(0, retryAfter), maxRetryAfter) }
        let ceiling = max(self.ceiling(afterAttempt: count), base)
        return ceiling / 2 + ceiling / 2 * random
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
