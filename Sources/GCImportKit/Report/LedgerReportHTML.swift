/// `gcimport report --html`: the ledger's report as one self-contained page (inline CSS and SVG, no script,
/// no external asset) that a school owner can open and a migration engineer can attach to the hand-over.
extension LedgerReport {
    /// Ids and payment links shown in the page at most; `--json` lists them all.
    static let htmlListLimit = 2000

    /// The report as one self-contained HTML page (inline CSS and SVG, no script, every value escaped).
    package func renderHTML(generatedAt: String = LedgerClock.now()) -> String {
        var page = MarkupWriter()
        let title = "gcimport report: \(Self.fileName(header.input.path))"
        page.raw("<!DOCTYPE html>\n")
        page.open("html", [("lang", "en")])
        page.open("head")
        page.raw("<meta charset=\"utf-8\"/>")
        page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        page.text(title, in: "title")
        page.raw("<style>\(Self.css)</style>")
        page.close("head")
        page.open("body")
        page.open("main")
        page.text(title, in: "h1")
        summaryTable(into: &page)
        totals(into: &page)
        page.text("Calls over time", in: "h2")
        page.text(
            "Answered calls a second, by outcome. A grey band is a pause of \(Int(ReportTimeline.pauseSeconds)) s "
                + "or more with no call (a Retry-After wait, a stop); a hatched band is a pause of over "
                + "\(TimelineChart.breakSeconds) s, drawn narrow. ▼ marks where a run or a resume started. Hover "
                + "for figures.",
            [("class", "muted")], in: "p")
        page.raw(TimelineChart(timeline: timeline).svg())
        latency(into: &page)
        problems(into: &page)
        account(into: &page)
        identifiers(into: &page)
        page.open("footer")
        page.text(
            "Written by \(header.tool) at \(generatedAt) from \(ledgerPath). The ledger is the record; this page "
                + "is a view of it.", in: "p")
        page.close("footer")
        page.close("main")
        page.close("body")
        page.close("html")
        return page.output + "\n"
    }

    private func summaryTable(into page: inout MarkupWriter) {
        var rows: [(String, String)] = [
            ("Input", "\(header.input.path) (\(header.input.size) bytes, sha256 \(header.input.sha256.prefix(12))…)"),
            ("Mapping", "\(header.mapping.path) (kind \(header.kind.rawValue))"),
            ("Target", header.target),
            ("Runs", "\(runs.count)" + (runs.last.map { ", last started \($0.started)" } ?? "")),
        ]
        if let first = firstEvent, let last = lastEvent, let elapsed = elapsedSeconds {
            let rate = okRatePerSecond.map { ", \(TimelineChart.formatRate($0)) ok rows/s" } ?? ""
            rows.append(("Time", "\(first) → \(last) (\(TimelineChart.duration(elapsed))\(rate))"))
        }
        if let users = usersLine { rows.append(("Users", String(users.dropFirst(9)))) }
        page.open("table", [("class", "facts")])
        for (name, value) in rows {
            page.open("tr")
            page.text(name, in: "th")
            page.text(value, in: "td")
            page.close("tr")
        }
        page.close("table")
    }

    private func totals(into page: inout MarkupWriter) {
        page.text("Rows by final state (\(Self.grouped(rows)) in the ledger)", in: "h2")
        page.open("div", [("class", "cards")])
        for state in Self.stateOrder {
            let count = counts[state, default: 0]
            let share = rows == 0 ? "" : " · " + TimelineChart.formatRate(100 * Double(count) / Double(rows)) + " %"
            page.open("div", [("class", "card \(state.rawValue)\(count == 0 ? " zero" : "")")])
            page.text(Self.grouped(count), [("class", "count")], in: "div")
            page.text(state.rawValue + share, [("class", "label")], in: "div")
            page.close("div")
        }
        page.close("div")
    }

    private func latency(into page: inout MarkupWriter) {
        page.text("Latency", in: "h2")
        let fractions = [0.5, 0.9, 0.99, 1.0]
        let values = timeline.latencyPercentiles(fractions)
        guard !values.isEmpty else {
            page.text("No call has both its sent and its answer line.", [("class", "muted")], in: "p")
            return
        }
        page.text(
            "From sending a call to its answer, over \(Self.grouped(timeline.latencies.count)) answered calls (retries included).",
            [("class", "muted")], in: "p")
        page.open("table", [("class", "grid")])
        page.open("tr")
        for name in ["p50", "p90", "p99", "max"] { page.text(name, in: "th") }
        page.close("tr")
        page.open("tr")
        for value in values { page.text("\(Int(value.rounded())) ms", in: "td") }
        page.close("tr")
        page.close("table")
    }

    private func problems(into page: inout MarkupWriter) {
        page.text("Rows that need attention", in: "h2")
        guard !errorGroups.isEmpty else {
            page.text("None: every row is ok or skipped.", [("class", "muted")], in: "p")
            return
        }
        // The advice column only when some message has advice.
        let advised = errorGroups.contains { $0.advice != nil }
        page.open("table", [("class", "grid errors")])
        page.open("tr")
        for name in ["Rows", "State", "Message", "Example lines"] + (advised ? ["What to do"] : []) {
            page.text(name, in: "th")
        }
        page.close("tr")
        for group in errorGroups {
            page.open("tr")
            page.text(Self.grouped(group.count), [("class", "number")], in: "td")
            page.text(group.state.rawValue, [("class", "state \(group.state.rawValue)")], in: "td")
            page.text(group.message, in: "td")
            let more = group.count > group.exampleLines.count ? ", …" : ""
            page.text(group.exampleLines.map(String.init).joined(separator: ", ") + more, in: "td")
            if advised { page.text(group.advice ?? "", in: "td") }
            page.close("tr")
        }
        page.close("table")
        page.text(
            "`gcimport failed --ledger \(ledgerPath) -o rows-to-fix.csv` writes these rows with their errors.",
            [("class", "muted")], in: "p")
    }

    private func account(into page: inout MarkupWriter) {
        guard !verifications.isEmpty || checks.contains(where: \.passed) else { return }
        page.text("Checked against the account", in: "h2")
        if let check = checks.last(where: \.passed) {
            page.text(
                "Check passed \(check.t): \(check.fields) additional field(s) found, \(check.groups) group name(s) "
                    + "sent, \(check.newGroups) of them new.", in: "p")
        }
        guard !verifications.isEmpty else { return }
        page.open("table", [("class", "grid")])
        page.open("tr")
        for name in [
            "Verified", "Complete", "Confirmed", "Unknown found", "Unknown not there", "Missing", "Ambiguous",
            "Not checkable",
        ] {
            page.text(name, in: "th")
        }
        page.close("tr")
        for verify in verifications {
            let counts = verify.counts
            page.open("tr")
            page.text(verify.t, in: "td")
            page.text(verify.complete ? "yes" : "no: \(verify.stopped ?? "interrupted")", in: "td")
            for value in [
                counts.confirmed, counts.resolved, counts.notFound, counts.missing, counts.ambiguous,
                counts.unconfirmed,
            ] {
                page.text("\(value)", [("class", "number")], in: "td")
            }
            page.close("tr")
        }
        page.close("table")
    }

    private func identifiers(into page: inout MarkupWriter) {
        page.text("Returned by GetCourse", in: "h2")
        let lists: [(String, [String])] = [
            ("user ids", userIDs), ("deal ids", dealIDs),
            ("payment links", paymentLinks.map { "line \($0.line): \($0.link)" }),
        ]
        for (name, values) in lists {
            page.open("details")
            let shown = values.prefix(Self.htmlListLimit)
            let note = values.count > shown.count ? " (the first \(shown.count); `report --json` lists all)" : ""
            page.text("\(Self.grouped(values.count)) \(name)\(note)", in: "summary")
            page.text(shown.joined(separator: "\n"), [("class", "ids")], in: "pre")
            page.close("details")
        }
    }

    /// `1,000,000`: counts a reader takes in at a glance.
    static func grouped(_ count: Int) -> String {
        let digits = Array(String(count.magnitude))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return (count < 0 ? "-" : "") + text
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    private static let css = """
        body{margin:0;background:#fafafa;color:#1d2330;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,\
        sans-serif}main{max-width:1000px;margin:0 auto;padding:24px}h1{font-size:22px;margin:0 0 12px}\
        h2{font-size:17px;margin:28px 0 8px}.muted{color:#5b6270;font-size:13px}\
        table{border-collapse:collapse;background:#fff}table.facts th{text-align:left;padding:2px 14px 2px 0;\
        color:#5b6270;font-weight:500}table.facts td{padding:2px 0;word-break:break-all}\
        table.grid th,table.grid td{border:1px solid #dde0e5;padding:5px 8px;text-align:left;vertical-align:top}\
        table.grid th{background:#f1f3f6;font-weight:600}td.number{text-align:right}\
        .cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:#fff;border:1px solid #dde0e5;\
        border-top:4px solid #8a8f98;border-radius:6px;padding:8px 14px;min-width:96px}\
        .card .count{font-size:22px;font-weight:700}.card .label{color:#5b6270;font-size:13px}\
        .card.zero{opacity:.45}.ok{border-top-color:#2e9d58}.skipped{border-top-color:#9aa3ad}\
        .rejected{border-top-color:#e08a1e}.invalid{border-top-color:#b0562a}.failed{border-top-color:#d64545}\
        .unknown{border-top-color:#8a8f98}.missing{border-top-color:#7a1f1f}td.state{font-weight:600}\
        svg.chart{width:100%;height:auto;background:#fff;border:1px solid #dde0e5;border-radius:6px}\
        svg .grid{stroke:#e6e8ec;stroke-width:1}svg .axis{font-size:11px;fill:#5b6270}\
        svg .end{text-anchor:end}svg .pause{fill:#d9dce1;opacity:.7}\
        svg .rate{fill:none;stroke:#1f5fbf;stroke-width:2}\
        details{margin:6px 0}summary{cursor:pointer}pre.ids{max-height:240px;overflow:auto;background:#fff;\
        border:1px solid #dde0e5;padding:8px;font-size:12px}footer{margin-top:32px;color:#5b6270;font-size:12px}
        """
}
