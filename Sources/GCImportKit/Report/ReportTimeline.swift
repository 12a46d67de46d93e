/// When the calls of a ledger happened, how they ended and how long they took: what the HTML report draws.
/// Filled line by line during the report's one pass; its memory follows the seconds the run was busy and
/// keeps one number per answered call for the latency percentiles.
package struct ReportTimeline: Sendable {
    /// How a call ended, as the chart colours it.
    package enum Outcome: Int, Sendable, CaseIterable {
        case ok, rejected, throttled, failed, unknown

        var label: String {
            switch self {
            case .ok: "ok"
            case .rejected: "rejected"
            case .throttled: "429 (slowed down)"
            case .failed: "failed, retried"
            case .unknown: "unknown"
            }
        }
    }

    /// Answered calls per whole second (Unix time) and outcome.
    private(set) var answers: [Int: [Int]] = [:]
    /// The rate in force (calls a second) at the seconds a call was sent under `--rate auto`.
    private(set) var autoRate: [Int: Double] = [:]
    /// Milliseconds from a call's `sent` line to its answer line.
    private(set) var latencies: [Double] = []
    /// How a run limited its calls.
    package enum RunRate: Sendable, Equatable {
        /// `--rate N`: calls a second.
        case fixed(Double)
        /// `--rate auto`: the sent lines carry the rate in force.
        case auto
        case unlimited
    }

    /// Seconds (Unix time) of the `run` lines, where a run or a resume started, and its rate.
    private(set) var runStarts: [(time: Double, rate: RunRate)] = []
    /// Seconds between two consecutive call lines that count as a pause.
    static let pauseSeconds = 2.0
    private(set) var pauses: [(from: Double, to: Double)] = []

    private var sentAt: [Int: Double] = [:]
    private var lastCallTime: Double?

    mutating func addRun(_ run: LedgerRunRecord) {
        guard let time = LedgerClock.parse(run.started) else { return }
        let text = run.options["rate"] ?? "default"
        let limit = text == "default" ? RateLimit.default : try? RateLimit.parse(text)
        let rate: RunRate =
            switch (limit?.adaptive, limit?.perSecond) {
            case (.some, _): .auto
            case (nil, let perSecond?): .fixed(perSecond)
            case (nil, nil): .unlimited
            }
        runStarts.append((time, rate))
    }

    /// The rate of the run in force at `time` (auto when the ledger has no run line before it).
    func runRate(at time: Double) -> RunRate {
        runStarts.last { $0.time <= time + 0.5 }?.rate ?? .auto
    }

    mutating func add(_ event: LedgerEvent) {
        guard event.verified == nil, let time = LedgerClock.parse(event.t) else { return }
        if let last = lastCallTime, time - last >= Self.pauseSeconds { pauses.append((last, time)) }
        lastCallTime = max(lastCallTime ?? time, time)
        let second = Int(time.rounded(.down))
        if event.state == .sent {
            sentAt[event.row] = time
            if let rate = event.rate { autoRate[second] = rate }
            return
        }
        guard let outcome = Self.outcome(event) else { return }
        answers[second, default: Array(repeating: 0, count: Outcome.allCases.count)][outcome.rawValue] += 1
        if let sent = sentAt.removeValue(forKey: event.row), time >= sent { latencies.append((time - sent) * 1000) }
    }

    private static func outcome(_ event: LedgerEvent) -> Outcome? {
        switch event.state {
        case .ok: .ok
        case .rejected: .rejected
        case .failed: event.httpStatus == 429 ? .throttled : .failed
        case .unknown: .unknown
        case .sent, .invalid, .skipped, .missing: nil
        }
    }

    /// The latencies below which each of `fractions` of the answered calls came back, in milliseconds (nearest
    /// rank); empty when no call has both its lines.
    func latencyPercentiles(_ fractions: [Double]) -> [Double] {
        guard !latencies.isEmpty else { return [] }
        let sorted = latencies.sorted()
        return fractions.map { fraction in
            sorted[min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))]
        }
    }

    var answeredCalls: Int { answers.values.reduce(0) { $0 + $1.reduce(0, +) } }
}
