import Foundation
import Testing

@testable import CSVReader
@testable import GCImportKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A ledger with what the HTML report must show: retried failures, a 429, a rejection whose message is
/// markup, a short pause, a resume two hours later, the auto rate on sent lines and verified rows.
private func ledgerWithPausesAndFailures() throws -> (dir: URL, ledger: String) {
    let dir = try makeTemporaryDirectory()
    let input = dir.appendingPathComponent("users.csv")
    try Data("Email\na@x.ru\nb@x.ru\nc@x.ru\nd@x.ru\ne@x.ru\n".utf8).write(to: input)
    let ledger = input.path + ".ledger.jsonl"
    let header = LedgerHeader(
        input: try FileIdentity.of(path: input.path), mapping: FileIdentity(path: "/m.yaml", size: 1, sha256: "m"),
        kind: .user, target: "sandbox", csv: .init(delimiter: ";", encoding: .utf8, header: true))
    let writer = try LedgerWriter.create(path: ledger, header: header)
    try writer.write(
        run: LedgerRunRecord(command: "run", options: ["rate": "auto"], started: "2026-11-23T05:00:00.000Z"))
    func sent(_ row: Int, _ t: String, rate: Double = 5) -> LedgerEvent {
        var event = LedgerEvent(row: row, line: row + 1, state: .sent, attempt: 1, t: t)
        event.rate = rate
        return event
    }
    let events = [
        sent(1, "2026-11-23T05:00:00.000Z"),
        LedgerEvent(row: 1, line: 2, state: .ok, userID: "101", t: "2026-11-23T05:00:00.100Z"),
        sent(2, "2026-11-23T05:00:00.200Z"),
        LedgerEvent(row: 2, line: 3, state: .failed, httpStatus: 429, error: "HTTP 429", t: "2026-11-23T05:00:00.500Z"),
        // Five seconds of Retry-After: a short pause.
        sent(2, "2026-11-23T05:00:05.500Z", rate: 2.5),
        LedgerEvent(row: 2, line: 3, state: .ok, userID: "102", t: "2026-11-23T05:00:05.700Z"),
        sent(3, "2026-11-23T05:00:06.000Z", rate: 2.5),
        LedgerEvent(
            row: 3, line: 4, state: .rejected, error: "<script>alert(1)</script> & \"quoted\"",
            t: "2026-11-23T05:00:06.900Z"),
        sent(4, "2026-11-23T05:00:07.000Z", rate: 2.5),
        LedgerEvent(row: 4, line: 5, state: .failed, httpStatus: 500, error: "HTTP 500", t: "2026-11-23T05:00:07.400Z"),
    ]
    for event in events { try writer.write(event) }
    // The run stopped; it is resumed two hours later.
    try writer.write(
        run: LedgerRunRecord(command: "run", options: ["rate": "20/s"], started: "2026-11-23T07:00:00.000Z"))
    for event in [
        sent(4, "2026-11-23T07:00:00.000Z"),
        LedgerEvent(row: 4, line: 5, state: .ok, userID: "104", t: "2026-11-23T07:00:00.300Z"),
        sent(5, "2026-11-23T07:00:00.400Z"),
        LedgerEvent(row: 5, line: 6, state: .ok, userID: "105", t: "2026-11-23T07:00:00.600Z"),
    ] {
        try writer.write(event)
    }
    try writer.close()
    return (dir, ledger)
}

@Suite struct ReportHTMLTests {
    @Test func timelineCountsOutcomesLatenciesAndPauses() throws {
        let (dir, ledger) = try ledgerWithPausesAndFailures()
        defer { try? FileManager.default.removeItem(at: dir) }
        let timeline = try LedgerReport.build(ledgerPath: ledger).timeline
        #expect(timeline.answeredCalls == 7)
        let byOutcome = ReportTimeline.Outcome.allCases.map { outcome in
            timeline.answers.values.reduce(0) { $0 + $1[outcome.rawValue] }
        }
        #expect(byOutcome == [4, 1, 1, 1, 0])
        // Latencies 100, 300, 200, 900, 400, 300, 200 ms.
        let percentiles = timeline.latencyPercentiles([0.5, 0.9, 1.0]).map { Int($0.rounded()) }
        #expect(percentiles == [300, 900, 900])
        #expect(timeline.pauses.count == 2)
        #expect(timeline.pauses.map { Int(($0.to - $0.from).rounded()) } == [5, 7193])
        #expect(timeline.runStarts.count == 2)
        #expect(Set(timeline.autoRate.values) == [5, 2.5])
    }

    @Test func pageIsSelfContainedWellFormedAndEscaped() throws {
        let (dir, ledger) = try ledgerWithPausesAndFailures()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try LedgerReport.build(ledgerPath: ledger).renderHTML(generatedAt: "2026-11-23T08:00:00.000Z")
        // Nothing fetched from elsewhere: no script, no stylesheet link, no image; the only URL is the SVG
        // namespace, which browsers never fetch.
        for needle in ["<script", "<link", "<img", "src=", "@import", "url(http"] {
            #expect(!html.contains(needle), "\(needle)")
        }
        #expect(html.components(separatedBy: "http").count - 1 == 1)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"))
        // Well-formed as XML, so every element is closed and every value escaped.
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        // What a reader looks for.
        #expect(html.contains("<svg"))
        #expect(html.contains("paused 1 h 59 min"))
        #expect(html.contains("no call for 5 s"))
        #expect(html.contains("429 (slowed down)"))
        #expect(html.contains("<td>300 ms</td><td>900 ms</td>"))
        #expect(html.contains("4 user ids"))
        #expect(html.contains("Rows by final state (5 in the ledger)"))
    }

    @Test func countsAreGroupedByThousands() {
        #expect(
            [0, 999, 1000, 123_456, 1_000_000, -4200].map(LedgerReport.grouped) == [
                "0", "999", "1,000", "123,456", "1,000,000", "-4,200",
            ])
    }

    @Test func emptyLedgerStillRendersAPage() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("users.csv")
        try Data("Email\n".utf8).write(to: input)
        let ledger = input.path + ".ledger.jsonl"
        let header = LedgerHeader(
            input: try FileIdentity.of(path: input.path),
            mapping: FileIdentity(path: "/m.yaml", size: 1, sha256: "m"), kind: .user, target: "sandbox",
            csv: .init(delimiter: ";", encoding: .utf8, header: true))
        try LedgerWriter.create(path: ledger, header: header).close()
        let html = try LedgerReport.build(ledgerPath: ledger).renderHTML()
        #expect(html.contains("No calls are recorded"))
        #expect(XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8)).parse())
    }
}
