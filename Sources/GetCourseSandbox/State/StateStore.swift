import Foundation
import GRDB
import Logging
import Synchronization

/// Owns the account: the ``StateDatabase`` and the in-memory ``AccountTotals``, behind one lock.
///
/// Every call that changes the account runs as one SQLite transaction under the lock, and the router
/// answers only after it committed: a killed sandbox restarts on exactly the calls it answered. Calls
/// are serialized, as the journal's were; each is a few rows, so loops do not wait on each other long.
final class StateStore: Sendable {
    struct Guarded {
        var totals: AccountTotals
        var closed = false
    }

    private let database: StateDatabase
    private let guarded: Mutex<Guarded>

    /// Opens (or creates) the account at `path`; nil keeps it in a temporary database. A file that is not a
    /// sandbox database, or is in use by another sandbox, is an error: starting empty would silently lose
    /// what a rehearsal imported.
    init(path: String?) throws(SandboxError) {
        database = try StateDatabase(path: path)
        do {
            let totals = try database.queue.read(Self.loadTotals)
            guarded = Mutex(Guarded(totals: totals))
        } catch {
            database.close()
            throw SandboxError.stateFile(path: path ?? "(temporary)", reason: StateDatabase.describe(error))
        }
    }

    private static func loadTotals(_ db: Database) throws -> AccountTotals {
        let groups = try Row.fetchAll(db, sql: "SELECT id, name, last_added_at FROM groups ORDER BY ordinal")
            .map(RecordRows.group)
        var requests: [String: SandboxEndpointCounts] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT endpoint, outcome, count FROM requests") {
            let endpoint: String = row[0]
            let count: Int = row[2]
            requests[endpoint, default: SandboxEndpointCounts()].requests += count
            requests[endpoint, default: SandboxEndpointCounts()].outcomes[row[1]] = count
        }
        var counters: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counters") { counters[row[0]] = row[1] }
        return AccountTotals(groups: groups, requests: requests, sequences: AccountSequences(rows: counters))
    }

    /// Runs `body` on the account inside one transaction and commits before returning. nil when the
    /// transaction failed (full disk, a damaged file): nothing of the call was kept, and the caller
    /// answers an error rather than a success it could not record.
    func update<Result: Sendable>(_ body: (SandboxState) -> Result) -> Result? {
        guarded.withLock { guarded -> Result? in
            guard !guarded.closed else { return nil }
            do {
                let (result, totals) = try database.queue.write { db in
                    let state = SandboxState(db: db, totals: guarded.totals)
                    let result = body(state)
                    try state.flush()
                    return (result, state.totals)
                }
                guarded.totals = totals
                return result
            } catch {
                SandboxLog.logger.error(
                    "state change not written", metadata: ["error": "\(StateDatabase.describe(error))"])
                return nil
            }
        }
    }

    /// Reads the account; nil when the database cannot be read.
    func read<Result: Sendable>(_ body: (SandboxState) -> Result) -> Result? {
        guarded.withLock { guarded -> Result? in
            do {
                return try database.queue.read { db in
                    let state = SandboxState(db: db, totals: guarded.totals)
                    let result = body(state)
                    if let failure = state.failure { throw failure }
                    return result
                }
            } catch {
                SandboxLog.logger.error("state not read", metadata: ["error": "\(StateDatabase.describe(error))"])
                return nil
            }
        }
    }

    /// Groups, counters and sequences as of the last committed call: in memory, no database read.
    var totals: AccountTotals {
        guarded.withLock { $0.totals }
    }

    /// Counts one request at `endpoint` with its outcome.
    func count(endpoint: String, outcome: String) {
        update { $0.count(endpoint: endpoint, outcome: outcome) }
    }

    /// Empties the account (users, deals, groups, counters, id sequences) in one transaction.
    @discardableResult
    func reset() -> Bool {
        guarded.withLock { guarded in
            do {
                try database.queue.write { db in
                    for table in ["users", "memberships", "groups", "deals", "requests", "counters"] {
                        try db.execute(sql: "DELETE FROM \(table)")
                    }
                }
                guarded.totals = AccountTotals()
                return true
            } catch {
                SandboxLog.logger.error("state not reset", metadata: ["error": "\(StateDatabase.describe(error))"])
                return false
            }
        }
    }

    /// The public view of the whole account (every user and order in memory: for tests and small runs).
    func snapshot() -> SandboxSnapshot? {
        read { SandboxSnapshot(state: $0) }
    }

    /// The state as `GET /__sandbox/state` shows it.
    func snapshotJSON() -> [UInt8] {
        guard let snapshot = snapshot(), let data = try? Self.encoder.encode(snapshot) else {
            return Array(#"{"error":"state not readable"}"#.utf8)
        }
        return Array(data)
    }

    /// Closes the database: SQLite folds its log into the file, so a cleanly stopped sandbox leaves one
    /// file. Calls after this change nothing.
    func close() {
        let wasOpen = guarded.withLock { guarded in
            defer { guarded.closed = true }
            return !guarded.closed
        }
        if wasOpen { database.close() }
    }

    /// Snake-case names come from explicit `CodingKeys`, not a key strategy: a strategy would also rewrite
    /// dictionary keys such as additional field names.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }()
}
