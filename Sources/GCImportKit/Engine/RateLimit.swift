import Foundation

/// `--rate 5/s --burst N`: how many calls per unit of time all workers together may start.
package struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    /// Calls per second; `nil` means no limit (benchmarks, the sandbox).
    package var perSecond: Double?
    /// How many calls may start back to back after a quiet spell. 1 spaces every call evenly.
    var burst: Int
    /// `--rate auto`: `perSecond` is only where the search for the account's limit starts.
    var adaptive: AdaptiveRange?

    init(perSecond: Double?, burst: Int = 1, adaptive: AdaptiveRange? = nil) {
        self.perSecond = perSecond
        self.burst = max(1, burst)
        self.adaptive = adaptive
    }

    /// Where `--rate auto` starts, and the ceiling it never goes above (`--max-rate`).
    package struct AdaptiveRange: Sendable, Equatable {
        var start: Double
        var ceiling: Double
        /// Never slower than this, however often the service pushes back.
        var floor: Double

        init(start: Double, ceiling: Double, floor: Double = 0.2) {
            self.ceiling = ceiling
            self.floor = min(floor, ceiling)
            self.start = min(max(start, self.floor), ceiling)
        }
    }

    /// `--rate auto`: starts at the public clients' 5/s (or the ceiling, when lower) and finds the
    /// account's limit from its answers.
    static func auto(ceiling: Double, burst: Int = 1) -> RateLimit {
        let range = AdaptiveRange(start: 5, ceiling: ceiling)
        return RateLimit(perSecond: range.start, burst: burst, adaptive: range)
    }

    /// Public clients of GetCourse throttle themselves to about 5 calls a second.
    static let `default` = RateLimit(perSecond: 5, burst: 1)

    /// Parses `5/s`, `300/m`, `10000/h`, a bare number (per second), `none`/`unlimited`/`0`, or `auto` (which
    /// searches up to `ceiling` calls a second).
    package static func parse(_ text: String, burst: Int = 1, ceiling: Double = 30) throws(RateLimitError) -> RateLimit
    {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if ["none", "unlimited", "off", "0", "0/s"].contains(trimmed) {
            return RateLimit(perSecond: nil, burst: burst)
        }
        if trimmed == "auto" { return .auto(ceiling: ceiling, burst: burst) }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let count = Double(parts[0]), count > 0, count.isFinite else {
            throw RateLimitError(text: text)
        }
        let seconds: Double
        switch parts.count == 2 ? String(parts[1]) : "s" {
        case "s", "sec", "second": seconds = 1
        case "m", "min", "minute": seconds = 60
        case "h", "hour": seconds = 3600
        default: throw RateLimitError(text: text)
        }
        return RateLimit(perSecond: count / seconds, burst: burst)
    }

    package var description: String {
        guard let perSecond else { return "no rate limit" }
        if let adaptive {
            return "rate auto (from \(Self.shown(adaptive.start)), at most \(Self.shown(adaptive.ceiling))), "
                + "burst \(burst)"
        }
        return "rate \(Self.shown(perSecond)), burst \(burst)"
    }

    /// `12.5/s`, or `3/min` below one a second.
    static func shown(_ perSecond: Double) -> String {
        perSecond >= 1 ? "\(trim(perSecond))/s" : "\(trim(perSecond * 60))/min"
    }

    private static func trim(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// A `--rate` that cannot be read.
package struct RateLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    var text: String
    package var description: String {
        "--rate \(text): expected a count per second, minute or hour, like 5/s, 300/m or 10000/h (or `none`, "
            + "or `auto`)"
    }
}
