// date: reads a cell with the mapping's formats and writes `YYYY-MM-DD HH:MM:SS`, converting from the file's
// time zone to the account's when the mapping names both (GetCourse reads dates in the account's zone).
import Foundation

/// A time zone setting: a fixed offset (`+03:00`, `UTC`) or a named zone (`Europe/Moscow`) whose offset
/// can change with the date (daylight saving, law changes).
enum TimeZoneSetting: Sendable, Equatable {
    case fixed(seconds: Int)
    case named(TimeZone)

    /// Parses `UTC`, `Z`, `+03:00`, `+0300`, `+3`, `UTC+3` or an IANA name; nil when none of these.
    init?(_ text: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body == "Z" || body.uppercased() == "UTC" || body.uppercased() == "GMT" {
            self = .fixed(seconds: 0)
            return
        }
        if body.uppercased().hasPrefix("UTC") || body.uppercased().hasPrefix("GMT") { body = body.dropFirst(3) }
        if let sign = body.first, sign == "+" || sign == "-" {
            let parts = body.dropFirst().split(separator: ":")
            let compact = parts.count == 1 && parts[0].count == 4 ? [parts[0].prefix(2), parts[0].suffix(2)] : parts
            guard (1...2).contains(compact.count), let hours = Int(compact[0]), hours <= 14,
                compact.count == 1 || Int(compact[1]) != nil
            else { return nil }
            let minutes = compact.count == 2 ? Int(compact[1]) ?? 0 : 0
            self = .fixed(seconds: (sign == "-" ? -1 : 1) * (hours * 3_600 + minutes * 60))
            return
        }
        guard let zone = TimeZone(identifier: String(body)) else { return nil }
        self = .named(zone)
    }

    /// The offset from UTC in force at the given UTC instant.
    func offset(atUTC seconds: Int) -> Int {
        switch self {
        case .fixed(let offset): offset
        case .named(let zone): zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
    }
}

/// The `date` transform: formats tried in order, an optional zone conversion.
struct DateTransform: Sendable, Equatable {
    /// What the transform tries when the mapping says just `date`.
    static let defaultFormats = [
        "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy HH:mm", "dd.MM.yyyy", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ssX", "yyyy-MM-dd'T'HH:mmX",
    ]
    static let defaultPatterns: [DatePattern] = defaultFormats.compactMap { try? DatePattern($0) }

    var patterns: [DatePattern]
    /// The zone the file's dates are written in, and the account's; no conversion unless both are set.
    var from: TimeZoneSetting?
    var to: TimeZoneSetting?

    func apply(_ value: String) throws(TransformFailure) -> String {
        var copy = value
        guard let date = copy.withUTF8(date(of:)) else {
            throw TransformFailure(
                "not a date in the expected format (\(patterns.map(\.text).joined(separator: " or "))); "
                    + "add the file's format to the field's `date:` list")
        }
        return date.apiString
    }

    /// The date a cell holds (trimmed first), converted; nil when no format matches.
    func date(of cell: UnsafeBufferPointer<UInt8>) -> LocalDateTime? {
        parse(TextTransforms.trim(cell)).map(convert)
    }

    func parse(_ value: String) -> LocalDateTime? {
        var copy = value
        return copy.withUTF8(parse)
    }

    func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> LocalDateTime? {
        // Each pattern used in place: `for pattern in patterns` retained and released every one, per cell.
        patterns.withUnsafeBufferPointer { patterns in
            for index in patterns.indices {
                if let date = patterns[index].match(bytes) { return date }
            }
            return nil
        }
    }

    /// Whether `convert` leaves dates as parsed (no zones, or the same zone twice).
    var convertsNothing: Bool {
        guard let from, let to else { return true }
        return from == to
    }

    /// A value that names its own offset (ISO 8601) is moved to the account's zone when the mapping names
    /// it; without `account_timezone:` its wall-clock time is sent as written, like every other date.
    private func convert(_ local: LocalDateTime) -> LocalDateTime {
        if let own = local.offset, let to {
            let utc = local.secondsSinceEpoch - own
            return LocalDateTime(secondsSinceEpoch: utc + to.offset(atUTC: utc))
        }
        guard let from, let to, from != to else { return local }
        let wall = local.secondsSinceEpoch
        // The source offset is looked up at the wall time read as UTC, then refined once: exact except in
        // the hour a clock change skips or repeats, where any reading is a guess.
        var utc = wall - from.offset(atUTC: wall)
        utc = wall - from.offset(atUTC: utc)
        return LocalDateTime(secondsSinceEpoch: utc + to.offset(atUTC: utc))
    }
}
