import Testing

@testable import GCImportKit

@Suite struct LimiterTests {
    @Test func rateParsesUnits() throws {
        #expect(try RateLimit.parse("5/s").perSecond == 5)
        #expect(try RateLimit.parse("300/m").perSecond == 5)
        #expect(try RateLimit.parse("7200/h").perSecond == 2)
        #expect(try RateLimit.parse("2.5").perSecond == 2.5)
        #expect(try RateLimit.parse("none").perSecond == nil)
        #expect(throws: RateLimitError.self) { try RateLimit.parse("fast") }
        #expect(throws: RateLimitError.self) { try RateLimit.parse("5/d") }
        #expect(throws: RateLimitError.self) { try RateLimit.parse("-1/s") }
    }

    @Test func reservationsSpaceCallsAfterTheBurst() {
        let bucket = TokenBucket(RateLimit(perSecond: 10, burst: 3))
        let now: UInt64 = 1_000_000_000_000
        let starts = (0..<6).map { _ in bucket.reserve(now: now) }
        #expect(starts[0...2].allSatisfy { $0 == now })
        #expect(starts[3] == now + 100_000_000)
        #expect(starts[5] == now + 300_000_000)
    }

    @Test(arguments: [(20.0, 1), (20.0, 5), (3.0, 2)])
    func noWindowOfOneSecondExceedsRatePlusBurst(rate: Double, burst: Int) {
        let bucket = TokenBucket(RateLimit(perSecond: rate, burst: burst))
        var now: UInt64 = 5_000_000_000
        var starts: [UInt64] = []
        // Callers arrive in clumps, as workers freed by a slow answer do.
        for index in 0..<400 {
            if index % 7 == 0 { now += 300_000_000 }
            starts.append(bucket.reserve(now: now))
        }
        starts.sort()
        var head = 0
        var worst = 0
        for tail in starts.indices {
            while starts[tail] - starts[head] >= 1_000_000_000 { head += 1 }
            worst = max(worst, tail - head + 1)
        }
        #expect(worst <= Int(rate) + burst)
    }

    @Test func pauseHoldsEveryoneBack() {
        let bucket = TokenBucket(RateLimit(perSecond: nil))
        let now: UInt64 = 1_000_000_000
        #expect(bucket.reserve(now: now) == now)
        bucket.pause(until: now + 2_000_000_000)
        #expect(bucket.reserve(now: now) == now + 2_000_000_000)
    }

    @Test func backoffIsCappedAndJittered() {
        let backoff = Backoff(base: 0.5, cap: 4)
        #expect(backoff.ceiling(afterAttempt: 1) == 0.5)
        #expect(backoff.ceiling(afterAttempt: 3) == 2)
        #expect(backoff.ceiling(afterAttempt: 10) == 4)
        #expect(backoff.delay(afterAttempt: 3, retryAfter: nil, random: 0.5) == 1)
        #expect(backoff.delay(afterAttempt: 3, retryAfter: 7, random: 0.5) == 7)
        #expect(backoff.pause(afterPushback: 1, retryAfter: nil, random: 0) == 0.25)
    }

    @Test func selectionRules() {
        let resume = RowSelection.resume(resendUnknown: false)
        #expect(resume.decide(prior: nil, isIdempotent: false) == .send)
        #expect(resume.decide(prior: .failed, isIdempotent: false) == .send)
        #expect(resume.decide(prior: .sent, isIdempotent: true) == .send)
        #expect(resume.decide(prior: .sent, isIdempotent: false) == .leaveUnknown)
        #expect(resume.decide(prior: .unknown, isIdempotent: false) == .leaveUnknown)
        #expect(RowSelection.resume(resendUnknown: true).decide(prior: .unknown, isIdempotent: false) == .send)
        #expect(resume.keepsWithoutMapping(.ok))
        #expect(resume.keepsWithoutMapping(.rejected))
        let retry = RowSelection.retry(states: [.failed])
        #expect(retry.keepsWithoutMapping(.rejected))
        #expect(retry.keepsWithoutMapping(nil))
        #expect(!retry.keepsWithoutMapping(.failed))
    }
}
