/// The HTML report's chart of answered calls per second, stacked by outcome, with the rate in force, the
/// pauses and the starts of runs marked. Plain SVG with `<title>` tooltips, so it reads without JavaScript.
///
/// Busy stretches are drawn to time scale; a pause longer than `breakSeconds` (a run stopped and resumed
/// later) is drawn as a narrow hatched break so an overnight stop does not squash the day into a line.
struct TimelineChart {
    let timeline: ReportTimeline

    static let breakSeconds = 60
    static let width = 960.0
    static let height = 300.0
    private static let left = 56.0
    private static let right = 16.0
    private static let top = 16.0
    private static let plotHeight = 220.0
    private static let breakWidth = 30.0
    private static let maxBars = 320

    static let colors: [ReportTimeline.Outcome: String] = [
        .ok: "#2e9d58", .rejected: "#e08a1e", .throttled: "#8e6bd1", .failed: "#d64545", .unknown: "#8a8f98",
    ]
    static let rateColor = "#1f5fbf"

    /// A busy stretch: whole seconds `start...end`, and where it sits on the x axis.
    private struct Segment {
        var start: Int
        var end: Int
        var x = 0.0
        var width = 0.0
        var seconds: Int { end - start + 1 }
    }

    /// One bar: seconds `start..<start + seconds` of a segment, calls per second by outcome.
    private struct Bar {
        var x: Double
        var width: Double
        var start: Int
        var seconds: Int
        var perSecond: [Double]
        var rate: Double?
    }

    func svg() -> String {
        let busy = Set(timeline.answers.keys).union(timeline.autoRate.keys).sorted()
        guard let first = busy.first else {
            return "<p class=\"muted\">No calls are recorded in this ledger, so there is no timeline.</p>"
        }
        var segments = [Segment(start: first, end: first)]
        for second in busy.dropFirst() {
            if second - segments[segments.count - 1].end > Self.breakSeconds {
                segments.append(Segment(start: second, end: second))
            } else {
                segments[segments.count - 1].end = second
            }
        }
        let plotWidth = Self.width - Self.left - Self.right
        let breaks = Double(segments.count - 1) * Self.breakWidth
        let active = segments.reduce(0) { $0 + $1.seconds }
        var x = Self.left
        for index in segments.indices {
            segments[index].x = x
            segments[index].width = (plotWidth - breaks) * Double(segments[index].seconds) / Double(active)
            x += segments[index].width + Self.breakWidth
        }
        let bars = makeBars(segments, binSeconds: max(1, (active + Self.maxBars - 1) / Self.maxBars))
        let peak = bars.map { max($0.perSecond.reduce(0, +), $0.rate ?? 0) }.max() ?? 0
        let yMax = Self.niceCeiling(max(peak, 1))
        func y(_ value: Double) -> Double { Self.top + Self.plotHeight * (1 - value / yMax) }

        var out = MarkupWriter()
        out.open(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(Int(Self.width)) \(Int(Self.height))"),
                ("role", "img"), ("aria-label", "Answered calls per second by outcome"), ("class", "chart"),
            ])
        out.raw(
            "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f3f4f6\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c4c8cf\" stroke-width=\"2\"/></pattern></defs>")
        // Grid and y axis.
        for step in 0...4 {
            let value = yMax * Double(step) / 4
            let lineY = y(value)
            out.element(
                "line",
                [
                    ("x1", Self.format(Self.left)), ("x2", Self.format(Self.width - Self.right)),
                    ("y1", Self.format(lineY)), ("y2", Self.format(lineY)), ("class", "grid"),
                ])
            out.text(
                Self.formatRate(value),
                [("x", Self.format(Self.left - 6)), ("y", Self.format(lineY + 4)), ("class", "axis end")])
        }
        out.text(
            "calls/s", [("x", "4"), ("y", Self.format(Self.top - 4)), ("class", "axis")])
        // Short pauses inside a busy stretch.
        for pause in timeline.pauses {
            guard let from = xPosition(pause.from, segments), let to = xPosition(pause.to, segments),
                Int(pause.to) - Int(pause.from) <= Self.breakSeconds
            else { continue }
            out.open(
                "rect",
                [
                    ("x", Self.format(from)), ("y", Self.format(Self.top)), ("width", Self.format(max(to - from, 1.5))),
                    ("height", Self.format(Self.plotHeight)), ("class", "pause"),
                ])
            out.title("no call for \(Self.duration(pause.to - pause.from)) from \(Self.clock(pause.from))")
            out.close("rect")
        }
        // Long pauses: hatched breaks between the stretches.
        for (previous, next) in zip(segments, segments.dropFirst()) {
            let breakX = previous.x + previous.width
            out.open(
                "rect",
                [
                    ("x", Self.format(breakX + 3)), ("y", Self.format(Self.top)),
                    ("width", Self.format(Self.breakWidth - 6)), ("height", Self.format(Self.plotHeight)),
                    ("fill", "url(#hatch)"),
                ])
            out.title(
                "paused \(Self.duration(Double(next.start - previous.end))): \(Self.clock(Double(previous.end))) "
                    + "→ \(Self.clock(Double(next.start)))")
            out.close("rect")
        }
        // Bars, stacked in outcome order.
        for bar in bars {
            var base = 0.0
            for outcome in ReportTimeline.Outcome.allCases {
                let value = bar.perSecond[outcome.rawValue]
                guard value > 0 else { continue }
                let top = y(base + value)
                out.open(
                    "rect",
                    [
                        ("x", Self.format(bar.x)), ("y", Self.format(top)), ("width", Self.format(max(bar.width, 0.6))),
                        ("height", Self.format(y(base) - top)), ("fill", Self.colors[outcome] ?? "#000"),
                    ])
                let span = bar.seconds == 1 ? "" : " (\(bar.seconds) s)"
                out.title(
                    "\(Self.clock(Double(bar.start)))\(span): \(Self.formatRate(value)) \(outcome.label) calls/s")
                out.close("rect")
                base += value
            }
        }
        drawRate(bars, segments: segments, y: y, into: &out)
        // Where each run (or resume) started.
        for start in timeline.runStarts.map(\.time) {
            guard let markX = xPosition(start, segments) else { continue }
            out.open(
                "path",
                [
                    ("d", "M\(Self.format(markX - 5)) \(Self.format(Self.top - 9))h10l-5 8z"),
                    ("fill", "#333"),
                ])
            out.title("a run started at \(Self.clock(start))")
            out.close("path")
        }
        // Time labels under each stretch.
        for segment in segments {
            out.text(
                Self.clock(Double(segment.start)),
                [("x", Self.format(segment.x)), ("y", Self.format(Self.top + Self.plotHeight + 16)), ("class", "axis")])
            if segment.width > 160 {
                out.text(
                    Self.clock(Double(segment.end + 1)),
                    [
                        ("x", Self.format(segment.x + segment.width)),
                        ("y", Self.format(Self.top + Self.plotHeight + 16)), ("class", "axis end"),
                    ])
            }
        }
        drawLegend(into: &out)
        out.close("svg")
        return out.output
    }

    private func makeBars(_ segments: [Segment], binSeconds: Int) -> [Bar] {
        var bars: [Bar] = []
        var lastAutoRate: Double?
        for segment in segments {
            var start = segment.start
            while start <= segment.end {
                let seconds = min(binSeconds, segment.end - start + 1)
                var sums = Array(repeating: 0.0, count: ReportTimeline.Outcome.allCases.count)
                var autoRate: Double?
                for second in start..<(start + seconds) {
                    if let counts = timeline.answers[second] {
                        for index in counts.indices { sums[index] += Double(counts[index]) }
                    }
                    if let rate = timeline.autoRate[second] { autoRate = rate }
                }
                // A run under `auto` keeps its last rate between sent lines; a fixed run has its own.
                if let autoRate { lastAutoRate = autoRate }
                // No rate is in force while nothing runs (between a stop and its resume).
                let paused = timeline.pauses.contains {
                    $0.from <= Double(start) && Double(start + seconds) <= $0.to
                }
                let rate: Double? =
                    switch paused ? .unlimited : timeline.runRate(at: Double(start)) {
                    case .fixed(let perSecond): perSecond
                    case .auto: lastAutoRate
                    case .unlimited: nil
                    }
                bars.append(
                    Bar(
                        x: segment.x + segment.width * Double(start - segment.start) / Double(segment.seconds),
                        width: segment.width * Double(seconds) / Double(segment.seconds), start: start,
                        seconds: seconds, perSecond: sums.map { $0 / Double(seconds) }, rate: rate))
                start += seconds
            }
        }
        return bars
    }

    private func drawRate(
        _ bars: [Bar], segments: [Segment], y: (Double) -> Double, into out: inout MarkupWriter
    ) {
        var path = ""
        var previousEnd: Double?
        for bar in bars {
            guard let rate = bar.rate else {
                previousEnd = nil
                continue
            }
            let barY = Self.format(y(rate))
            if let previousEnd, abs(previousEnd - bar.x) < 0.01 {
                path += "L\(Self.format(bar.x)) \(barY)"
            } else {
                path += "M\(Self.format(bar.x)) \(barY)"
            }
            path += "H\(Self.format(bar.x + bar.width))"
            previousEnd = bar.x + bar.width
        }
        guard !path.isEmpty else { return }
        out.open("path", [("d", path), ("class", "rate")])
        out.title("the rate in force (--rate, or found by --rate auto), calls/s")
        out.close("path")
    }

    private func drawLegend(into out: inout MarkupWriter) {
        var x = Self.left
        let legendY = Self.height - 14
        for outcome in ReportTimeline.Outcome.allCases {
            out.element(
                "rect",
                [
                    ("x", Self.format(x)), ("y", Self.format(legendY - 9)), ("width", "10"), ("height", "10"),
                    ("fill", Self.colors[outcome] ?? "#000"),
                ])
            out.text(outcome.label, [("x", Self.format(x + 14)), ("y", Self.format(legendY)), ("class", "axis")])
            x += 14 + Double(outcome.label.count) * 6.4 + 18
        }
        out.element(
            "line",
            [
                ("x1", Self.format(x)), ("x2", Self.format(x + 16)), ("y1", Self.format(legendY - 4)),
                ("y2", Self.format(legendY - 4)), ("class", "rate"),
            ])
        out.text("rate in force", [("x", Self.format(x + 20)), ("y", Self.format(legendY)), ("class", "axis")])
        x += 20 + 13 * 6.4 + 18
        out.element(
            "rect",
            [
                ("x", Self.format(x)), ("y", Self.format(legendY - 9)), ("width", "10"), ("height", "10"),
                ("class", "pause"),
            ])
        out.text("pause", [("x", Self.format(x + 14)), ("y", Self.format(legendY)), ("class", "axis")])
    }

    /// Where time `t` sits on the x axis, nil when it falls in no busy stretch.
    private func xPosition(_ time: Double, _ segments: [Segment]) -> Double? {
        guard
            let segment = segments.first(where: {
                time >= Double($0.start) && time <= Double($0.end + 1)
            })
        else { return nil }
        return segment.x + segment.width * (time - Double(segment.start)) / Double(segment.seconds)
    }

    // MARK: Numbers and times

    /// 1, 2 or 5 times a power of ten, at least `value`.
    static func niceCeiling(_ value: Double) -> Double {
        var power = 1.0
        while power * 10 <= value { power *= 10 }
        while power > value { power /= 10 }
        for step in [1.0, 2, 5, 10] where step * power >= value { return step * power }
        return 10 * power
    }

    static func format(_ value: Double) -> String { LedgerEvent.hundredths(value) }

    /// `12`, `7.5`, `0.04`: whole numbers from ten on, then a tenth, then two significant places.
    static func formatRate(_ value: Double) -> String {
        if value >= 10 { return String(Int(value.rounded())) }
        if value >= 0.1 { return LedgerEvent.hundredths((value * 10).rounded() / 10) }
        return LedgerEvent.hundredths(value)
    }

    /// `14:03:07` (UTC) of a Unix time.
    static func clock(_ seconds: Double) -> String {
        let stamp = LedgerClock.format(secondsSince1970: seconds)
        return String(stamp.dropFirst(11).prefix(8))
    }

    /// `45 s`, `12 min`, `3 h 5 min`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole < 120 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}
