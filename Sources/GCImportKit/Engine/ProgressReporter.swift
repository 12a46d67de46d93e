import Dispatch
import Foundation
import Synchronization

/// The progress display on stderr: one redrawn line on a terminal, a plain line every few seconds
/// otherwise (logs, CI), nothing with `--quiet`.
package final class ProgressReporter: Sendable {
    /// Chosen by the command layer, which knows the terminal (`TTY`).
    package enum Style: Sendable, Equatable {
        case terminal
        case lines
        case quiet
    }

    /// One reading of the run's figures.
    package struct Sample: Sendable {
        var counts: RowCounts
        var sentThisRun: Int
        /// Under `--rate auto`, the calls a second in force.
        var adaptiveRate: Double?
        init(counts: RowCounts, sentThisRun: Int, adaptiveRate: Double? = nil) {
            self.counts = counts
            self.sentThisRun = sentThisRun
            self.adaptiveRate = adaptiveRate
        }
    }

    private struct State {
        /// Recent (time, sentThisRun) readings, for a rate over the last few seconds.
        var window: [(UInt64, Int)] = []
        var lastLength = 0
        var stopped = false
    }

    private let style: Style
    private let total: RowTotal
    private let sample: @Sendable () -> Sample
    private let queue = DispatchQueue(label: "gcimport.progress")
    private let state = Mutex(State())
    // A DispatchSource is thread-safe (its handler runs on `queue`); it is resumed in start() and
    // cancelled in stop(), both of which touch it on `queue` or before it runs.
    private nonisolated(unsafe) let timer: any DispatchSourceTimer

    init(style: Style, total: RowTotal, sample: @escaping @Sendable () -> Sample) {
        self.style = style
        self.total = total
        self.sample = sample
        timer = DispatchSource.makeTimerSource(queue: queue)
        // Activated at once (with no deadline), because libdispatch traps when a source that was never
        // resumed is released; start() sets the interval, stop() cancels.
        timer.schedule(deadline: .distantFuture)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
    }

    deinit {
        timer.cancel()
    }

    func start() {
        guard style != .quiet else { return }
        let interval: DispatchTimeInterval = style == .terminal ? .milliseconds(250) : .seconds(10)
        timer.schedule(deadline: .now() + interval, repeating: interval)
    }

    /// Stops the display and clears the terminal line, so the summary starts on a clean line.
    func stop() {
        guard style != .quiet else { return }
        queue.sync {
            timer.cancel()
            let length = state.withLock { state -> Int in
                state.stopped = true
                return state.lastLength
            }
            if style == .terminal && length > 0 { Self.write("\r\u{1B}[K") }
        }
    }

    private func tick() {
        let reading = sample()
        let now = Monotonic.now()
        let (line, stopped) = state.withLock { state -> (String, Bool) in
            state.window.append((now, reading.sentThisRun))
            state.window.removeAll { now - $0.0 > 5_000_000_000 }
            let rate = Self.rate(state.window)
            let line = Self.render(reading, total: total.current, rate: rate)
            state.lastLength = line.count
            return (line, state.stopped)
        }
        guard !stopped else { return }
        Self.write(style == .terminal ? "\r\u{1B}[K" + line : line + "\n")
    }

    static func rate(_ window: [(UInt64, Int)]) -> Double? {
        guard let first = window.first, let last = window.last, last.0 > first.0 else { return nil }
        return Double(last.1 - first.1) / Monotonic.seconds(last.0 - first.0)
    }

    /// `1200/2000 rows · ok 1190 · rejected 3 · failed 0 · unknown 0 · 19.8/s · ETA 0:41`, and under
    /// `--rate auto` the limit in force: `· limit 21.4/s (auto)`.
    static func render(_ reading: Sample, total: Int?, rate: Double?) -> String {
        let counts = reading.counts
        let done = counts.settled
        var parts = ["\(done)/\(total.map(String.init) ?? "?") rows"]
        parts.append("ok \(counts.ok)")
        parts.append("rejected \(counts.rejected)")
        parts.append("failed \(counts.failed)")
        parts.append("unknown \(counts.unknown)")
        if counts.invalid > 0 { parts.append("invalid \(counts.invalid)") }
        if let rate {
            parts.append(RunSummary.decimal(rate, places: 1) + "/s")
            if let total, rate > 0.01, total > done {
                parts.append("ETA " + eta(Double(total - done) / rate))
            }
        }
        if let limit = reading.adaptiveRate { parts.append("limit \(RateLimit.shown(limit)) (auto)") }
        return parts.joined(separator: " · ")
    }

    static func eta(_ seconds: Double) -> String {
        let whole = Int(min(seconds, 359_999).rounded())
        let (hours, minutes, secs) = (whole / 3600, whole % 3600 / 60, whole % 60)
        let mmss = String(format: "%02d:%02d", minutes, secs)
        return hours > 0 ? "\(hours):\(mmss)" : "\(minutes):" + String(format: "%02d", secs)
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
