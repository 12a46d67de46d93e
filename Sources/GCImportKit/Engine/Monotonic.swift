import Dispatch

/// Monotonic nanoseconds (immune to wall-clock changes), the time base of the limiter and the backoff.
enum Monotonic {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func nanos(_ seconds: Double) -> UInt64 {
        seconds <= 0 ? 0 : UInt64(min(seconds, 1e9) * 1e9)
    }

    static func seconds(_ nanos: UInt64) -> Double { Double(nanos) / 1e9 }
}
