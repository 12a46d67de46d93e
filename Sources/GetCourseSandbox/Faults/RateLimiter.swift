import NIOCore
import Synchronization

/// A token bucket over the API paths: `rate` calls per second on average, bursts up to one second's worth.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: NIODeadline
    }

    private let rate: Double
    private let capacity: Double
    private let bucket: Mutex<Bucket>

    init(perSecond rate: Double) {
        self.rate = rate
        capacity = max(1, rate)
        bucket = Mutex(Bucket(tokens: max(1, rate), updated: .now()))
    }

    /// nil when the call may proceed; otherwise the seconds to wait (at least 1, as `Retry-After` counts
    /// whole seconds).
    func admit(now: NIODeadline = .now()) -> Int? {
        bucket.withLock { bucket in
            let elapsed = Double((now - bucket.updated).nanoseconds) / 1e9
            bucket.tokens = min(capacity, bucket.tokens + max(0, elapsed) * rate)
            bucket.updated = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            let wait = (1 - bucket.tokens) / rate
            return max(1, Int(wait.rounded(.up)))
        }
    }
}
