import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The SQLite database that holds the account: opened once per sandbox, written one transaction per call.
///
/// With `--state FILE` it is that file in WAL mode with `synchronous = NORMAL`: a commit is in the log
/// before the call is answered, so a killed sandbox loses no answered call (a power cut may lose the last
/// ones; a rehearsal can afford that). Without `--state` it is a private temporary database, deleted when
/// the sandbox stops, which keeps memory flat however many rows a test sends. The tables are documented in
/// `docs/sandbox.md`; the `sqlite3` shell reads them while the sandbox runs.
final class StateDatabase: Sendable {
    let queue: DatabaseQueue
    /// `flock`ed for as long as the sandbox runs, so a second sandbox cannot write the same state.
    private let lock: Int32?

    /// Schema version: `PRAGMA user_version`. A database from a newer gcimport is refused.
    static let version = 1

    init(path: String?) throws(SandboxError) {
        var configuration = Configuration()
        configuration.label = "gcimport.sandbox.state"
        configuration.foreignKeysEnabled = false
        var lock: Int32?
        if let path {
            try SandboxStateFiles(statePath: path).checkFormat()
            lock = try Self.lock(path)
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        } else {
            // Deleted at stop, so nothing to make durable: the rollback journal stays in memory, no syncs.
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF")
            }
        }
        do {
            // An empty path is SQLite's private temporary database.
            queue = try DatabaseQueue(path: path ?? "", configuration: configuration)
            try queue.write { db in try Self.migrate(db, path: path ?? "(temporary)") }
        } catch {
            if let lock { Glibc.close(lock) }
            if let error = error as? SandboxError { throw error }
            throw SandboxError.stateFile(path: path ?? "(temporary)", reason: Self.describe(error))
        }
        self.lock = lock
    }

    /// Closes the database (SQLite folds the log into it) and releases the lock.
    func close() {
        try? queue.close()
        if let lock { Glibc.close(lock) }
    }

    private static func lock(_ path: String) throws(SandboxError) -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SandboxError.stateFile(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(descriptor)
            throw SandboxError.stateFile(path: path, reason: "another sandbox is using it")
        }
        return descriptor
    }

    /// SQLite's own words, without GRDB's statement dump (it may hold a row's values).
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "no message")"
        }
        return String(describing: error)
    }

    private static func migrate(_ db: Database, path: String) throws {
        let current = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        guard current < version else {
            guard current == version else {
                throw SandboxError.stateFile(
                    path: path,
                    reason: "schema version \(current) is from a newer gcimport (this one knows \(version))")
            }
            return
        }
        try db.execute(sql: schema)
        try db.execute(sql: "PRAGMA user_version = \(version)")
    }

    /// The tables; `docs/sandbox.md` explains each column.
    static let schema = """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL,
            phone_key TEXT,
            technical_email INTEGER NOT NULL,
            fields TEXT NOT NULL,
            addfields TEXT NOT NULL,
            session TEXT NOT NULL,
            is_partner INTEGER NOT NULL,
            partner_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            update_count INTEGER NOT NULL
        );
        CREATE INDEX users_by_email ON users (email_key);
        CREATE INDEX users_by_phone ON users (phone_key) WHERE phone_key IS NOT NULL;
        CREATE TABLE memberships (
            user_id INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (user_id, ordinal)
        ) WITHOUT ROWID;
        CREATE INDEX memberships_by_group ON memberships (group_id, user_id);
        CREATE TABLE groups (
            ordinal INTEGER PRIMARY KEY,
            id INTEGER NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            last_added_at TEXT
        );
        CREATE TABLE deals (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL,
            user_email TEXT NOT NULL,
            positions TEXT NOT NULL,
            cost REAL NOT NULL,
            currency TEXT NOT NULL,
            status TEXT NOT NULL,
            is_paid INTEGER NOT NULL,
            payment_type TEXT,
            payment_status TEXT,
            manager_email TEXT,
            comment TEXT,
            partner_id INTEGER,
            addfields TEXT NOT NULL,
            session TEXT NOT NULL,
            created_at TEXT NOT NULL,
            finished_at TEXT,
            updated_at TEXT NOT NULL,
            update_count INTEGER NOT NULL
        );
        CREATE INDEX deals_by_user ON deals (user_id);
        CREATE TABLE requests (
            endpoint TEXT NOT NULL,
            outcome TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (endpoint, outcome)
        ) WITHOUT ROWID;
        CREATE TABLE counters (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
}
