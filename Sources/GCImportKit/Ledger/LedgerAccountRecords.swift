// The ledger lines of the account-aware commands: a passed preflight check, the exports `verify` asked
// for, and what each verification found. Rare lines, so they go through JSONEncoder like the header.

/// `run`'s preflight (`gcimport check`) passed: a resume of this ledger does not check again.
package struct LedgerCheckRecord: Codable, Sendable, Equatable {
    var type = "check"
    var t: String
    var passed: Bool
    /// Additional fields the mapping sends, all found in the account.
    var fields: Int
    /// Distinct group names the file sends, and how many of them the account does not have yet.
    var groups: Int
    var newGroups: Int

    init(passed: Bool, fields: Int, groups: Int, newGroups: Int, t: String = LedgerClock.now()) {
        self.passed = passed
        self.fields = fields
        self.groups = groups
        self.newGroups = newGroups
        self.t = t
    }

    enum CodingKeys: String, CodingKey {
        case type, t, passed, fields, groups
        case newGroups = "new_groups"
    }
}

/// An export `verify` started or received, so an interrupted verification polls the same export instead of
/// starting another (the account builds one at a time and allows 100 export requests per 2 hours), and the
/// next one knows how much of that budget is spent.
package struct LedgerExportRecord: Codable, Sendable, Equatable {
    var type = "export"
    var t: String
    /// `users`, `deals` or `group_users`.
    var object: String
    var groupID: Int?
    /// The filter as sent, e.g. `created_at[from]=2026-11-22&created_at[to]=2026-11-25`.
    var filter: String
    var exportID: Int
    /// `started` or `ready`.
    var status: String
    /// Rows in the export, once ready.
    var rows: Int?
    /// Account API requests made since the previous account line of this ledger (for the 2-hour budget).
    var calls: Int

    init(
        object: String, groupID: Int?, filter: String, exportID: Int, status: String, rows: Int? = nil, calls: Int,
        t: String = LedgerClock.now()
    ) {
        self.object = object
        self.groupID = groupID
        self.filter = filter
        self.exportID = exportID
        self.status = status
        self.rows = rows
        self.calls = calls
        self.t = t
    }

    enum CodingKeys: String, CodingKey {
        case type, t, object, filter, status, rows, calls
        case groupID = "group_id"
        case exportID = "export_id"
    }
}

/// What one `gcimport verify` found. Rows it changed have event lines of their own (`verified` set).
package struct LedgerVerifyRecord: Codable, Sendable, Equatable {
    var type = "verify"
    /// When it started; `t` is when it ended.
    var started: String
    var t: String
    /// False when it stopped before comparing (budget spent, interrupted, refused): nothing was decided.
    var complete: Bool
    /// The days the exports covered (`YYYY-MM-DD`, inclusive).
    var windowFrom: String
    var windowTo: String
    /// Ok rows found in the account.
    var confirmed: Int
    /// Unknown rows found in the account (now ok).
    var resolved: Int
    /// Unknown rows not in the account (now failed, so `retry` sends them once).
    var notFound: Int
    /// Ok rows not in the account (now missing).
    var missing: Int
    /// Unknown rows with more than one possible match (left unknown, candidates in the row's line).
    var ambiguous: Int
    /// Ok rows the exports cannot show (a user or order that existed before the run's window).
    var unconfirmed: Int
    /// Orders without a number that landed while their user is not in a group they sent (not resent).
    var groupsMissing: Int
    var calls: Int
    /// Why it stopped early, when it did.
    var stopped: String?

    init(
        started: String, complete: Bool, windowFrom: String, windowTo: String, counts: VerifyCounts, calls: Int,
        stopped: String? = nil, t: String = LedgerClock.now()
    ) {
        self.started = started
        self.t = t
        self.complete = complete
        self.windowFrom = windowFrom
        self.windowTo = windowTo
        self.confirmed = counts.confirmed
        self.resolved = counts.resolved
        self.notFound = counts.notFound
        self.missing = counts.missing
        self.ambiguous = counts.ambiguous
        self.unconfirmed = counts.unconfirmed
        self.groupsMissing = counts.groupsMissing
        self.calls = calls
        self.stopped = stopped
    }

    var counts: VerifyCounts {
        VerifyCounts(
            confirmed: confirmed, resolved: resolved, notFound: notFound, missing: missing, ambiguous: ambiguous,
            unconfirmed: unconfirmed, groupsMissing: groupsMissing)
    }

    enum CodingKeys: String, CodingKey {
        case type, started, t, complete, confirmed, resolved, missing, ambiguous, unconfirmed, calls, stopped
        case windowFrom = "window_from"
        case windowTo = "window_to"
        case notFound = "not_found"
        case groupsMissing = "groups_missing"
    }
}

/// The tallies of a verification.
package struct VerifyCounts: Sendable, Equatable, Codable {
    var confirmed = 0
    var resolved = 0
    var notFound = 0
    var missing = 0
    var ambiguous = 0
    var unconfirmed = 0
    var groupsMissing = 0

    init(
        confirmed: Int = 0, resolved: Int = 0, notFound: Int = 0, missing: Int = 0, ambiguous: Int = 0,
        unconfirmed: Int = 0, groupsMissing: Int = 0
    ) {
        self.confirmed = confirmed
        self.resolved = resolved
        self.notFound = notFound
        self.missing = missing
        self.ambiguous = ambiguous
        self.unconfirmed = unconfirmed
        self.groupsMissing = groupsMissing
    }

    enum CodingKeys: String, CodingKey {
        case confirmed, resolved, missing, ambiguous, unconfirmed
        case notFound = "not_found"
        case groupsMissing = "groups_missing"
    }
}
