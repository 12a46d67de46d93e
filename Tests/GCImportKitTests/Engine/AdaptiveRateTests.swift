import Testing

@testable import GCImportKit

// `--rate auto` on a virtual clock: the rules one by one, then whole runs against a simulated account limit.

private let second: UInt64 = 1_000_000_000
private let start: UInt64 = 1_000 * second

private func controller(start rate: Double = 5, ceiling: Double = 30) -> (AdaptiveRate, TokenBucket) {
    let range = RateLimit.AdaptiveRange(start: rate, ceiling: ceiling)
    let bucket = TokenBucket(RateLimit(perSecond: range.start, adaptive: range))
    return (AdaptiveRate(range: range, bucket: bucket, now: start), bucket)
}

/// `count` clean answers spread over the window that starts at `at`, then one that closes it.
private func cleanWindow(_ adaptive: AdaptiveRate, at: UInt64, answers count: Int) {
    for index in 0..<count { adaptive.record(.clean, now: at + UInt64(index) * (second / UInt64(count + 1))) }
    adaptive.record(.clean, now: at + second)
}

@Suite struct AdaptiveRateTests {
    @Test func cleanBusyWindowsRaiseTheRateUpToTheCeilingAndTheBucketFollows() {
        let (adaptive, bucket) = controller()
        cleanWindow(adaptive, at: start, answers: 5)
        #expect(adaptive.perSecond == 6.25)
        #expect(bucket.perSecond.map { abs($0 - 6.25) < 0.01 } == true)
        var now = start + second
        for _ in 0..<30 {
            cleanWindow(adaptive, at: now, answers: Int(adaptive.perSecond))
            now += second
        }
        #expect(adaptive.perSecond == 30)
    }

    @Test func aRateTheWorkersDoNotUseIsNotRaised() {
        // Slow answers: 2 a second against a limit of 5. Raising the limit would change nothing until the
        // service speeds up, and then it would let a burst through.
        let (adaptive, _) = controller()
        cleanWindow(adaptive, at: start, answers: 2)
        #expect(adaptive.perSecond == 5)
    }

    @Test func onePushbackMetByEveryWorkerCutsOnceAndEndsTheSearch() {
        let (adaptive, _) = controller(start: 20)
        for worker in 0..<8 { adaptive.record(.pushback, now: start + 100 + UInt64(worker)) }
        #expect(abs(adaptive.perSecond - 17) < 0.001)
        // The next window is held, then growth is additive (2 %), no longer by a quarter.
        cleanWindow(adaptive, at: start + 2 * second, answers: 17)
        #expect(abs(adaptive.perSecond - 17.34) < 0.001)
        adaptive.record(.pushback, now: start + 4 * second)
        #expect(abs(adaptive.perSecond - 17.34 * 0.85) < 0.001)
    }

    @Test func aBurstOfServerErrorsCutsButTwoDoNot() {
        let (adaptive, _) = controller(start: 10)
        adaptive.record(.overload, now: start + 1)
        adaptive.record(.overload, now: start + 2)
        #expect(adaptive.perSecond == 10)
        adaptive.record(.overload, now: start + 3)
        #expect(adaptive.perSecond == 7)
    }

    @Test func theRateNeverFallsBelowTheFloor() {
        let (adaptive, _) = controller(start: 1)
        for step in 0..<100 { adaptive.record(.pushback, now: start + UInt64(step) * 2 * second) }
        #expect(adaptive.perSecond == RateLimit.AdaptiveRange(start: 1, ceiling: 30).floor)
    }

    @Test func autoParsesWithItsCeiling() throws {
        let limit = try RateLimit.parse("auto", burst: 2, ceiling: 40)
        #expect(limit.adaptive == RateLimit.AdaptiveRange(start: 5, ceiling: 40))
        #expect(limit.perSecond == 5)
        #expect(limit.burst == 2)
        #expect(try RateLimit.parse("AUTO", ceiling: 3).perSecond == 3)
        #expect(limit.description == "rate auto (from 5/s, at most 40/s), burst 2")
    }

    /// Eight workers against an account that admits `limit` calls a second (a token bucket holding one
    /// second's worth, answering 429 with `Retry-After: 1` beyond it, as the sandbox's `--rate-limit` does),
    /// each answer taking `latency`. Returns the calls admitted and the 429s in the second minute.
    private func simulate(limit: Double, latency: UInt64, ceiling: Double = 100) -> (admitted: Int, pushbacks: Int) {
        let (adaptive, bucket) = controller(ceiling: ceiling)
        var tokens = limit
        var refilled = start
        var workersFreeAt = [UInt64](repeating: start, count: 8)
        var (admitted, pushbacks) = (0, 0)
        let end = start + 120 * second
        while true {
            let worker = workersFreeAt.indices.min { workersFreeAt[$0] < workersFreeAt[$1] } ?? 0
            let startAt = bucket.reserve(now: workersFreeAt[worker])
            guard startAt < end else { break }
            tokens = min(limit, tokens + Double(startAt - refilled) / 1e9 * limit)
            refilled = startAt
            let answeredAt = startAt + latency
            let counted = startAt >= start + 60 * second
            if tokens >= 1 {
                tokens -= 1
                if counted { admitted += 1 }
                adaptive.record(.clean, now: answeredAt)
            } else {
                if counted { pushbacks += 1 }
                bucket.pause(until: answeredAt + second)
                adaptive.record(.pushback, now: answeredAt)
            }
            workersFreeAt[worker] = answeredAt
        }
        return (admitted, pushbacks)
    }

    @Test(arguments: [37.0, 12.0, 80.0])
    func aRunFindsTheAccountsLimitWithinAMinute(limit: Double) {
        let (admitted, pushbacks) = simulate(limit: limit, latency: 20_000_000)
        #expect(Double(admitted) >= 0.9 * limit * 60, "admitted \(admitted) in the second minute")
        #expect(Double(pushbacks) <= 0.02 * Double(admitted + pushbacks), "\(pushbacks) answered 429")
    }

    @Test func theCeilingHoldsWhenTheAccountAllowsMore() {
        let (admitted, pushbacks) = simulate(limit: 200, latency: 10_000_000, ceiling: 20)
        #expect(pushbacks == 0)
        #expect(admitted <= 20 * 60 + 1)
        #expect(Double(admitted) >= 0.99 * 20 * 60)
    }
}
