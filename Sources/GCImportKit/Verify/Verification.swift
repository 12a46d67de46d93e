import CSVReader
import Foundation

/// How `verify` looks.
package struct VerifyOptions: Sendable {
    /// The first day the exports cover (`YYYY-MM-DD`) when it is earlier than the run's own window: for
    /// orders or users that existed before the run.
    package var since: String?
    /// Export each group the rows send, to confirm the memberships (one export per group).
    package var checksGroups = true
    /// Account API requests allowed per 2 hours, counting those this ledger recorded before.
    package var budget = ExportBudget.documentedLimit
    package var client = AccountClientConfiguration()

    package init() {}
}

/// `gcimport verify`: compares a ledger with the account through the export API and writes what it found
/// into the ledger. Unknown rows found in the account become ok, those not there become failed (so `retry`
/// sends them once), ok rows not there become missing; ambiguous rows stay unknown with their candidates.
/// Deciding is pure (see `VerifyMatcher`), so a second verification changes nothing; an interrupted one
/// continues the exports it recorded.
package struct Verification: Sendable {
    var ledgerPath: String
    var target: ImportTarget
    var key: APIKey
    var options: VerifyOptions

    package init(ledgerPath: String, target: ImportTarget, key: APIKey, options: VerifyOptions) {
        self.ledgerPath = ledgerPath
        self.target = target
        self.key = key
        self.options = options
    }

    /// Rows in these states are looked at; the others are final either way.
    static let states: Set<RowState> = [.ok, .unknown, .sent, .missing]

    /// Exports what the account holds for the ledger's rows, decides each row, and writes the verdicts into
    /// the ledger (locked for the whole pass). Stops cleanly, recording what it got, when `control` asks.
    @available(*, noasync, message: "blocks its thread")
    package func run(control: RunControl, say: @escaping @Sendable (String) -> Void) throws(VerifyError) -> VerifyReport
    {
        let started = LedgerClock.now()
        // Locked first, so no run or retry writes to the ledger between reading it and writing what was found.
        let writer: LedgerWriter
        do {
            writer = try LedgerWriter.append(path: ledgerPath)
        } catch {
            throw .ledger(error)
        }
        var ledger: VerifyLedger
        let cases: [VerifyCase]
        do throws(VerifyError) {
            do {
                ledger = try VerifyLedger.load(path: ledgerPath)
            } catch {
                throw .ledger(error)
            }
            try Self.checkUnchanged(ledger.header)
            cases = try Self.cases(ledger)
            // Each case holds its row's state now; the ledger's copy of every row is let go.
            ledger.rows = []
        } catch {
            try? writer.close()
            throw error
        }
        let window = Self.window(ledger, cases: cases, since: options.since)
        let client = AccountClient(
            target: target, key: key, configuration: options.client,
            budget: ExportBudget(limit: options.budget, prior: ledger.recordedCalls), control: control, say: say)
        defer { client.shutdown() }
        var report = VerifyReport(
            ledger: ledgerPath, kind: ledger.header.kind, target: ledger.header.target, windowFrom: window.from,
            windowTo: window.to)
        report.checked = cases.count
        do {
            let snapshot = try exports(
                for: cases, ledger: ledger, window: window, client: client, writer: writer, say: say)
            report.exports = snapshot.exported
            let matcher = VerifyMatcher(
                kind: ledger.header.kind, snapshot: snapshot.snapshot, window: "\(window.from) … \(window.to)",
                checksGroups: options.checksGroups)
            let outcomes = matcher.decide(cases)
            try Self.record(outcomes, cases: cases, writer: writer, report: &report)
        } catch {
            let record = LedgerVerifyRecord(
                started: started, complete: false, windowFrom: window.from, windowTo: window.to, counts: report.counts,
                calls: client.budget.takeUnrecorded(), stopped: "\(error)")
            try? writer.write(verify: record)
            try? writer.close()
            throw error
        }
        report.calls = client.budget.taken
        report.budgetLeft = client.budget.remaining()
        do {
            try writer.write(
                verify: LedgerVerifyRecord(
                    started: started, complete: true, windowFrom: window.from, windowTo: window.to,
                    counts: report.counts, calls: client.budget.takeUnrecorded()))
            try writer.close()
        } catch {
            throw .ledger(error)
        }
        return report
    }

    // MARK: The ledger and the file

    private static func checkUnchanged(_ header: LedgerHeader) throws(VerifyError) {
        for (name, recorded) in [("input", header.input), ("mapping", header.mapping)] {
            let now: FileIdentity
            do {
                now = try FileIdentity.of(path: recorded.path)
            } catch {
                throw .input("\(error)")
            }
            guard now.sha256 == recorded.sha256 else {
                throw .inputChanged(
                    "the \(name) file \(recorded.path) changed since the ledger was written, so its rows can no longer "
                        + "be matched with the ledger's; restore it to verify")
            }
        }
    }

    /// The rows to look at, with what the file sends for each (read as the run read it).
    private static func cases(_ ledger: VerifyLedger) throws(VerifyError) -> [VerifyCase] {
        guard ledger.rows.contains(where: { $0.map { states.contains($0.state) } ?? false }) else { return [] }
        var cases: [VerifyCase] = []
        // Rows mostly join the same groups: one shared list per distinct set instead of an array per row.
        var groupLists: [[GroupEntry]: [GroupEntry]] = [:]
        do {
            let mapping = try Mapping.load(path: ledger.header.mapping.path)
            let reader = try CSVFileReader(path: ledger.header.input.path, options: ledger.header.csv.readerOptions)
            let mapper = try RowMapper(mapping: mapping, header: reader.header)
            while let record = try reader.next() {
                guard let row = ledger.row(record.row), states.contains(row.state),
                    let (payload, found) = mapper.facts(record)
                else { continue }
                var facts = found
                if !facts.groups.isEmpty {
                    if let shared = groupLists[facts.groups] {
                        facts.groups = shared
                    } else if groupLists.count < 10_000 {
                        groupLists[facts.groups] = facts.groups
                    }
                }
                // The payload is compared only among unknown orders without a number; the others do not keep it.
                let keepsPayload = row.state != .ok && row.state != .missing && payload.dealNumber == nil
                cases.append(
                    VerifyCase(
                        row: record.row, ledger: row, facts: facts, params: keepsPayload ? payload.params : [],
                        isIdempotent: payload.isIdempotent))
            }
        } catch {
            throw .input("\(error)")
        }
        return cases
    }

    /// The days the exports cover: from the day before the first run (or the earliest order date a row
    /// sent, or `--since`) to the day after today, so time zones cannot push a row out.
    static func window(_ ledger: VerifyLedger, cases: [VerifyCase], since: String?, now: Double? = nil)
        -> (from: String, to: String)
    {
        let now = now ?? Date().timeIntervalSince1970
        var from = Day.of(min(ledger.firstRunStarted ?? now, now) - 86_400)
        var to = Day.of(now + 86_400)
        for item in cases {
            guard let created = item.facts.createdAt, created.count >= 10 else { continue }
            let day = String(created.prefix(10))
            if let earlier = Day.shift(day, days: -1), earlier < from { from = earlier }
            if let later = Day.shift(day, days: 1), later > to { to = later }
        }
        if let since, since < from { from = since }
        return (from, to)
    }

    // MARK: The account

    private struct Exported {
        var snapshot = AccountSnapshot()
        var exported: [String] = []
    }

    private func exports(
        for cases: [VerifyCase], ledger: VerifyLedger, window: (from: String, to: String), client: AccountClient,
        writer: LedgerWriter, say: @escaping @Sendable (String) -> Void
    ) throws(VerifyError) -> Exported {
        var result = Exported()
        guard !cases.isEmpty else { return result }
        let fetcher = ExportFetcher(client: client, writer: writer, recorded: ledger.exportsSinceLastRun, say: say)
        let created = [("created_at[from]", window.from), ("created_at[to]", window.to)]
        do {
            switch ledger.header.kind {
            case .user:
                let table = try fetcher.fetch(ExportRequest(object: .users, filters: created), label: "users")
                try result.snapshot.add(users: table)
                result.exported.append("users: \(table.items.count)")
            case .deal, .dealStatus:
                // A status change touches orders created long before the run: look for the change instead.
                let changed = [("status_changed_at[from]", window.from), ("status_changed_at[to]", window.to)]
                let filters = ledger.header.kind == .dealStatus ? changed : created
                let table = try fetcher.fetch(ExportRequest(object: .deals, filters: filters), label: "orders")
                try result.snapshot.add(deals: table)
                result.exported.append("orders: \(table.items.count)")
            case .userGroups:
                break
            }
            let names = Set(cases.flatMap { $0.facts.groups.map(\.name) })
            guard options.checksGroups || ledger.header.kind == .userGroups, !names.isEmpty else { return result }
            say("  asking for the account's groups")
            let groups = try client.groups()
            for group in groups where names.contains(group.name) && result.snapshot.groupIDs[group.name] == nil {
                result.snapshot.groupIDs[group.name] = group.id
            }
            // Every member, however long ago they joined: a membership an earlier import made counts too.
            for (name, id) in result.snapshot.groupIDs.sorted(by: { $0.key < $1.key }) {
                let table = try fetcher.fetch(
                    ExportRequest(object: .groupUsers(groupID: id), filters: [("added_at[from]", "2000-01-01")]),
                    label: "the members of «\(name)»")
                try result.snapshot.add(members: table, group: id)
                result.exported.append("group «\(name)»: \(table.items.count)")
            }
        } catch let error as VerifyError {
            throw error
        } catch let error as AccountError {
            throw .account(error)
        } catch {
            throw .unexpectedExport("\(error)")
        }
        return result
    }

    // MARK: Writing

    private static func record(
        _ outcomes: [Int: VerifyOutcome], cases: [VerifyCase], writer: LedgerWriter, report: inout VerifyReport
    ) throws(VerifyError) {
        for item in cases {
            guard let outcome = outcomes[item.row] else { continue }
            let row = item.ledger
            var event: LedgerEvent?
            var verdict = ""
            switch outcome {
            case .confirmed:
                report.counts.confirmed += 1
            case .unconfirmed:
                report.counts.unconfirmed += 1
            case .groupsNotThere(let message):
                // Reported, not recorded as a change of state: the order is there, and resending it would double it.
                report.counts.groupsMissing += 1
                report.changes.append(
                    VerifyReport.Change(
                        row: item.row, line: row.line, verdict: "groups_missing", state: row.state, message: message))
            case .found(let userID, let dealID):
                report.counts.confirmed += 1
                verdict = "found"
                event = LedgerEvent(
                    row: item.row, line: row.line, state: .ok, userID: userID, dealID: dealID, verified: verdict)
            case .resolved(let userID, let dealID):
                report.counts.resolved += 1
                verdict = "resolved"
                event = LedgerEvent(
                    row: item.row, line: row.line, state: .ok, userID: userID, dealID: dealID, verified: verdict)
            case .notFound(let message):
                report.counts.notFound += 1
                verdict = "not_found"
                event = LedgerEvent(row: item.row, line: row.line, state: .failed, error: message, verified: verdict)
            case .missing(let message):
                report.counts.missing += 1
                verdict = "missing"
                // Once missing, a row stays so without a new line (the message names no date, but the state says it).
                if row.state != .missing {
                    event = LedgerEvent(
                        row: item.row, line: row.line, state: .missing, userID: row.userID, dealID: row.dealID,
                        userStatus: row.userStatus, error: message, verified: verdict)
                }
            case .ambiguous(let message):
                report.counts.ambiguous += 1
                verdict = "ambiguous"
                if row.error != message {
                    event = LedgerEvent(
                        row: item.row, line: row.line, state: .unknown, error: message, verified: verdict)
                }
            }
            guard let event else { continue }
            do {
                try writer.write(event)
            } catch {
                throw .ledger(error)
            }
            report.changes.append(
                VerifyReport.Change(
                    row: item.row, line: row.line, verdict: verdict, state: event.state, message: event.error))
        }
    }
}

/// Asks for an export, or continues one an interrupted verification started (recorded after the last run,
/// less than an hour ago), and records both steps in the ledger with the calls they cost.
struct ExportFetcher {
    let client: AccountClient
    let writer: LedgerWriter
    let recorded: [LedgerExportRecord]
    let say: @Sendable (String) -> Void

    /// An export older than this is asked for again rather than continued.
    static let reuseWithin: Double = 3600

    @available(*, noasync, message: "blocks its thread")
    func fetch(_ request: ExportRequest, label: String) throws -> ExportTable {
        let what = "export of \(label)"
        let kept = AccountSnapshot.Column.kept(by: request.object)
        let now = Date().timeIntervalSince1970
        if let earlier = recorded.last(where: {
            $0.object == request.objectName && $0.groupID == request.groupID && $0.filter == request.filterText
        }), let at = LedgerClock.parse(earlier.t), now - at < Self.reuseWithin {
            say("  \(what): continuing export \(earlier.exportID), asked for at \(earlier.t)")
            if let table = try client.waitForExport(id: earlier.exportID, what: what, keeping: kept) {
                try note(request, id: earlier.exportID, status: "ready", rows: table.items.count)
                return table
            }
        }
        say("  \(what) (\(request.filterText)): asking the account")
        let id = try client.startExport(request)
        try note(request, id: id, status: "started", rows: nil)
        guard let table = try client.waitForExport(id: id, what: what, keeping: kept) else {
            throw VerifyError.unexpectedExport("\(what): the account forgot export \(id) while it was being built")
        }
        try note(request, id: id, status: "ready", rows: table.items.count)
        say("  \(what): \(table.items.count) row(s)")
        return table
    }

    private func note(_ request: ExportRequest, id: Int, status: String, rows: Int?) throws {
        do {
            try writer.write(
                export: LedgerExportRecord(
                    object: request.objectName, groupID: request.groupID, filter: request.filterText, exportID: id,
                    status: status, rows: rows, calls: client.budget.takeUnrecorded()))
        } catch {
            throw VerifyError.ledger(error)
        }
    }
}

/// Days as `YYYY-MM-DD`.
package enum Day {
    /// Whether `text` is a real day written `YYYY-MM-DD` (the form the export filters and comparisons need).
    package static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isASCII) && Int($0) != nil })
        else { return false }
        // Round-tripped, so 2024-02-30 is refused rather than read as March 1.
        return shift(text, days: 0) == text
    }

    static func of(_ secondsSince1970: Double) -> String {
        String(LedgerClock.format(secondsSince1970: secondsSince1970).prefix(10))
    }

    static func shift(_ day: String, days: Int) -> String? {
        guard let start = LedgerClock.parse(day + "T00:00:00.000Z") else { return nil }
        return of(start + Double(days) * 86_400)
    }
}
