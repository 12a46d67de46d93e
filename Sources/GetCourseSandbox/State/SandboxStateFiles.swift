import Foundation

/// The files behind `--state FILE`: the SQLite database `FILE` and, while it is open, SQLite's write-ahead
/// log `FILE-wal` and its index `FILE-shm`. The account is the database with the log applied; SQLite does
/// that itself on the next open after a kill. See ``StateDatabase`` for the tables.
package struct SandboxStateFiles: Sendable {
    /// The database, as `--state` names it.
    let database: String

    package init(statePath: String) {
        database = statePath
    }

    /// Committed transactions not yet copied into the database.
    var writeAheadLog: String { database + "-wal" }
    /// The log's index, rebuilt by SQLite when missing.
    var sharedMemory: String { database + "-shm" }

    /// Removes the database and its log: the next start is a new account.
    ///
    /// The log goes first: a log without its database is ignored by SQLite, while a database without the
    /// log it depends on would be an older account.
    package func removeAll() throws {
        for path in [writeAheadLog, sharedMemory, database] where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }

    /// Refuses a file that exists and is not an SQLite database, such as the JSON snapshot an older gcimport
    /// wrote there: SQLite would otherwise fail later with a less helpful message.
    func checkFormat() throws(SandboxError) {
        guard let handle = FileHandle(forReadingAtPath: database) else { return }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        guard !head.isEmpty, head != Data("SQLite format 3\0".utf8) else { return }
        let reason =
            head.first == UInt8(ascii: "{")
            ? "it is the JSON state of an older gcimport; this one keeps its state in SQLite, so start the account "
                + "again (run --new-ledger, or remove the file)"
            : "it is not an SQLite database"
        throw SandboxError.stateFile(path: database, reason: reason)
    }
}
