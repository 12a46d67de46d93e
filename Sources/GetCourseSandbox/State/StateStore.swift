import Dispatch
import Foundation
import Logging
import Synchronization

/// Owns the account's state: one ``SandboxState`` behind a `Mutex`, and with `--state FILE` its files.
///
/// Every change is appended to `FILE.journal` as one line (``JournalRecord``) before the lock is released,
/// so the journal never lags behind an answer a client has seen, and a killed sandbox restarts on exactly
/// the state it had. A call writes only what it changed; the full snapshot is rewritten by a compaction,
/// off the event loops, once the journal has grown as large as the snapshot (so the total rewriting is at
/// most about the total journalling), and on a clean shutdown.
final class StateStore: Sendable {
    /// What the lock guards: the state and the journal must change together, so records are in the order
    /// the changes were applied.
    struct Guarded {
        var state: SandboxState
        var journal: JournalWriter?
        /// A compaction is writing a snapshot; no second one starts until it is done.
        var compacting = false
        /// A journal append failed: the next compaction must not wait for the journal to grow.
        var snapshotOverdue = false
        /// Size of the last snapshot written, which the journal may grow to before a compaction.
        var snapshotSize: Int
        var closed = false
    }

    let guarded: Mutex<Guarded>
    let files: SandboxStateFiles?
    /// The journal never triggers a compaction below this size, however small the snapshot.
    let minimumCompactionSize: Int
    /// Compactions run here, one at a time, never on an event loop.
    let compactor = DispatchQueue(label: "gcimport.sandbox.compaction")

    /// 8 MiB: about 10,000 user calls, replayed at start in well under a second.
    static let defaultMinimumCompactionSize = 8 * 1024 * 1024

    /// Loads the snapshot and replays the journals on it. A missing snapshot is a new account; a corrupt
    /// one, or a journal that does not fit it, is an error (starting empty would silently lose what a
    /// rehearsal imported). When there was anything to replay, the result is compacted at once, so the
    /// new journal starts empty and a torn last line is gone.
    init(path: String?, minimumCompactionSize: Int = StateStore.defaultMinimumCompactionSize) throws(SandboxError) {
        self.minimumCompactionSize = minimumCompactionSize
        guard let path else {
            files = nil
            guarded = Mutex(Guarded(state: SandboxState(), snapshotSize: 0))
            return
        }
        let files = SandboxStateFiles(statePath: path)
        self.files = files
        var state = try files.loadSnapshot()
        var snapshotSize = files.snapshotSize
        let replayed = try Self.replay(files, onto: &state)
        if replayed {
            snapshotSize = try files.writeSnapshot(state)
            guard SandboxStateFiles.removeIfPresent(files.previousJournal) else {
                throw SandboxError.stateFile(path: files.previousJournal, reason: "cannot remove it after replay")
            }
        }
        let journal = try JournalWriter(path: files.journal, truncate: replayed)
        guarded = Mutex(Guarded(state: state, journal: journal, snapshotSize: snapshotSize))
    }

    /// Replays `FILE.journal.old` then `FILE.journal` onto `state`; true when there was anything to fold
    /// into a new snapshot (a record, or only a torn line, or an old journal to remove).
    private static func replay(_ files: SandboxStateFiles, onto state: inout SandboxState) throws(SandboxError)
        -> Bool
    {
        let journals = [try JournalReader(path: files.previousJournal), try JournalReader(path: files.journal)]
        // A reset discards everything before it, including what the snapshot holds: start after the last.
        var start: (journal: Int, line: Int) = (0, 0)
        for (number, journal) in journals.enumerated() {
            if let reset = journal.lines.indices.last(where: journal.isReset) { start = (number, reset) }
        }
        var replayed = 0
        for number in start.journal..<journals.count {
            let journal = journals[number]
            for index in (number == start.journal ? start.line : 0)..<journal.lines.count {
                guard !journal.lines[index].isEmpty else { continue }
                guard state.replay(try journal.record(index)) else {
                    throw SandboxError.stateFile(path: journal.path, reason: "the journal does not fit the snapshot")
                }
                replayed += 1
            }
        }
        if replayed > 0 { state.rebuildIndexes() }
        return replayed > 0 || SandboxStateFiles.size(of: files.journal) > 0
            || FileManager.default.fileExists(atPath: files.previousJournal)
    }

    /// Runs `body` on the state under the lock and journals what it changed before releasing it.
    func update<Result: Sendable>(_ body: (inout SandboxState) -> Result) -> Result {
        guarded.withLock { guarded in
            let result = body(&guarded.state)
            if let record = guarded.state.takeChanges() { journal(record, in: &guarded) }
            compactIfDue(&guarded)
            return result
        }
    }

    /// Reads the state under the lock.
    func read<Result: Sendable>(_ body: (SandboxState) -> Result) -> Result {
        guarded.withLock { body($0.state) }
    }

    /// Counts one request at `endpoint` with its outcome (journalled with the rest).
    func count(endpoint: String, outcome: String) {
        update { $0.count(endpoint: endpoint, outcome: outcome) }
    }

    /// Empties the account (users, deals, groups, counters, id sequences). Journalled as a reset record;
    /// the compaction it asks for is cheap, the account being empty.
    func reset() {
        guarded.withLock { guarded in
            guarded.state = SandboxState()
            journal(.resetRecord, in: &guarded)
            guarded.snapshotOverdue = true
            compactIfDue(&guarded)
        }
    }

    /// The public view of the state.
    func snapshot() -> SandboxSnapshot {
        read { SandboxSnapshot(state: $0) }
    }

    /// The state as `GET /__sandbox/state` shows it.
    func snapshotJSON() -> [UInt8] {
        let snapshot = snapshot()
        return (try? Array(Self.encoder.encode(snapshot))) ?? Array(#"{"error":"state not encodable"}"#.utf8)
    }

    /// Appends one record. A failure is logged, not thrown: a full disk must not take the API down. The
    /// change is then only in memory, so the next call asks for a snapshot, which holds it.
    private func journal(_ record: JournalRecord, in guarded: inout Guarded) {
        guard guarded.journal != nil, !guarded.closed else { return }
        do {
            var line = try Array(Self.lineEncoder.encode(record))
            line.append(UInt8(ascii: "\n"))
            try guarded.journal?.append(line)
        } catch {
            guarded.snapshotOverdue = true
            SandboxLog.logger.error(
                "state change not journalled", metadata: ["state.path": "\(files?.journal ?? "")", "error": "\(error)"]
            )
        }
    }

    /// Snake-case names come from explicit `CodingKeys`, not a key strategy: a strategy would also rewrite
    /// dictionary keys such as additional field names.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }()

    /// The snapshot is compact: indentation would double its size.
    static let fileEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Journal lines: one record per line (JSON strings escape their newlines), keys unsorted for speed.
    static let lineEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    static let decoder = JSONDecoder()
}
