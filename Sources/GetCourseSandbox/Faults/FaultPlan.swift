import NIOCore
import Synchronization

/// Decides, per API call, which injected faults it meets. Deterministic under ``SandboxConfiguration/seed``:
/// every call draws the same three numbers (delay, failure, drop) whichever knobs are on, so the n-th call
/// meets the same fate in every run with the same seed.
final class FaultPlan: Sendable {
    /// The fate of one call.
    struct Draw: Equatable {
        var delay: TimeAmount
        var fail: Bool
        var drop: Bool
    }

    private let generator: Mutex<SplitMix64>
    private let latency: Int
    private let jitter: Int
    private let failRate: Double
    private let dropRate: Double

    init(configuration: SandboxConfiguration) {
        generator = Mutex(SplitMix64(seed: configuration.seed))
        latency = configuration.latencyMilliseconds
        jitter = configuration.jitterMilliseconds
        failRate = configuration.failRate
        dropRate = configuration.dropRate
    }

    /// The next call's fate.
    func next() -> Draw {
        let (a, b, c) = generator.withLock { ($0.nextUnit(), $0.nextUnit(), $0.nextUnit()) }
        var milliseconds = latency
        if jitter > 0 {
            // Uniform over latency-jitter … latency+jitter, never below zero.
            milliseconds += Int((a * Double(2 * jitter + 1)).rounded(.down)) - jitter
        }
        return Draw(
            delay: .milliseconds(Int64(max(0, milliseconds))),
            fail: b < failRate,
            drop: c < dropRate
        )
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same sequence on every platform, which
/// `SystemRandomNumberGenerator` is not.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
