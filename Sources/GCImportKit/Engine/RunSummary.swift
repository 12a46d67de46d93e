import Foundation

/// How a run ended: the figures of every row of the file, and why it stopped early, if it did.
package struct RunSummary: Sendable {
    /// Data rows in the file.
    var rows: Int
    /// Every row in its state after this run (rows done by earlier runs included).
    package var counts: RowCounts
    var elapsedSeconds: Double
    /// Rows finished by a call of this run.
    var sentThisRun: Int
    /// HTTP calls made, retries included.
    var calls: Int
    package var stopReason: StopReason?
    /// Things that went wrong with the bookkeeping itself (should never happen; printed loudly).
    package var problems: [String]
    /// Under `--rate auto`, the calls a second in force when the run ended: the rate to give `--rate` next
    /// time for this account.
    var adaptiveRate: Double?

    init(
        rows: Int, counts: RowCounts, elapsedSeconds: Double, sentThisRun: Int, calls: Int, stopReason: StopReason?,
        problems: [String]
    ) {
        self.rows = rows
        self.counts = counts
        self.elapsedSeconds = elapsedSeconds
        self.sentThisRun = sentThisRun
        self.calls = calls
        self.stopReason = stopReason
        self.problems = problems
    }

    /// Rows per second finished by this run's calls.
    var ratePerSecond: Double {
        elapsedSeconds > 0 ? Double(sentThisRun) / elapsedSeconds : 0
    }

    /// Every row ok or skipped by a rule.
    package var allDone: Bool {
        counts.ok + counts.skipped == rows && counts.pending == 0
    }

    /// The `--json` summary: `{"rows","ok","rejected","failed","unknown","invalid","skipped","missing","ledger",
    /// "elapsed_s","rate_per_s"}`, then `rate_auto_per_s` under `--rate auto`, `pending` and `status`.
    package func json(ledgerPath: String) -> String {
        let status: String
        switch stopReason {
        case nil: status = "complete"
        case .interrupted: status = "interrupted"
        case .refused: status = "refused"
        case .ledgerFailed: status = "ledger_failed"
        case .inputFailed: status = "input_failed"
        }
        func rounded(_ value: Double, _ places: Double) -> Double {
            value.isFinite ? (value * places).rounded() / places : 0
        }
        return ReportJSON.encode(
            RunSummaryJSON(
                rows: rows, ok: counts.ok, rejected: counts.rejected, failed: counts.failed, unknown: counts.unknown,
                invalid: counts.invalid, skipped: counts.skipped, missing: counts.missing, ledger: ledgerPath,
                elapsedSeconds: rounded(elapsedSeconds, 1000), ratePerSecond: rounded(ratePerSecond, 100),
                autoRatePerSecond: adaptiveRate.map { rounded($0, 100) }, pending: counts.pending, status: status))
    }

    /// The closing lines for people.
    package func text() -> String {
        var lines: [String] = []
        let head: String
        switch stopReason {
        case nil: head = "Done"
        case .interrupted: head = "Interrupted"
        case .refused: head = "Stopped: the service refused the run"
        case .ledgerFailed: head = "Stopped: the ledger could not be written"
        case .inputFailed: head = "Stopped: the input could not be read"
        }
        lines.append(
            "\(head) in \(Self.duration(elapsedSeconds)): \(rows) rows, \(sentThisRun) sent in this run "
                + "(\(Self.decimal(ratePerSecond, places: 1)) rows/s, \(calls) calls).")
        var parts = [
            "ok \(counts.ok)", "rejected \(counts.rejected)", "failed \(counts.failed)", "unknown \(counts.unknown)",
            "invalid \(counts.invalid)", "skipped \(counts.skipped)",
        ]
        if counts.missing > 0 { parts.append("missing \(counts.missing)") }
        if counts.pending > 0 { parts.append("not yet sent \(counts.pending)") }
        lines.append("  " + parts.joined(separator: " · "))
        if let adaptiveRate {
            lines.append(
                "  --rate auto ended at \(RateLimit.shown(adaptiveRate)) (the account's limit as found by this run)")
        }
        lines.append(contentsOf: problems.map { "  !! \($0)" })
        return lines.joined(separator: "\n")
    }

    static func decimal(_ value: Double, places: Int) -> String {
        String(format: "%.\(places)f", value.isFinite ? value : 0)
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return decimal(seconds, places: 1) + " s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}

/// `run --json` and `retry --json`.
private struct RunSummaryJSON: Encodable {
    var rows, ok, rejected, failed, unknown, invalid, skipped, missing: Int
    var ledger: String
    var elapsedSeconds: Double
    var ratePerSecond: Double
    /// Only under `--rate auto`.
    var autoRatePerSecond: Double?
    var pending: Int
    var status: String

    enum CodingKeys: String, CodingKey {
        case rows, ok, rejected, failed, unknown, invalid, skipped, missing, ledger, pending, status
        case elapsedSeconds = "elapsed_s"
        case ratePerSecond = "rate_per_s"
        case autoRatePerSecond = "rate_auto_per_s"
    }
}
