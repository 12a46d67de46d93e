import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Compaction: folding the journal into a new snapshot.
///
/// The order of file operations keeps "snapshot, then `FILE.journal.old`, then `FILE.journal`" equal to
/// the account at every instant a kill could come:
/// 1. under the lock: rename the journal to `FILE.journal.old`, open a new empty journal, copy the state;
/// 2. on the compactor queue: write the copy as the snapshot (temp + rename);
/// 3. remove `FILE.journal.old`.
/// Killed between 2 and 3, the restart replays `FILE.journal.old` onto a snapshot that already holds it,
/// which changes nothing, since records carry whole values (``JournalRecord``).
extension StateStore {
    /// Starts a compaction when the journal has outgrown the snapshot (or one is overdue) and none runs.
    ///
    /// The part under the lock is a rename, an open and a copy of the state value, which is copy-on-write:
    /// the next calls that write a list or an index pay for copying its storage (a memory copy, not an
    /// encoding), once per compaction. Encoding and writing happen on the compactor queue, never on an
    /// event loop.
    func compactIfDue(_ guarded: inout Guarded) {
        guard let files, let current = guarded.journal, !guarded.compacting, !guarded.closed else { return }
        // Journal as large as the snapshot: rewriting the snapshot then costs no more than the journal did.
        let threshold = max(minimumCompactionSize, guarded.snapshotSize)
        guard guarded.snapshotOverdue || current.size >= threshold else { return }
        // `FILE.journal.old` still there means the last compaction failed and its records are in no snapshot
        // yet: it must not be overwritten. The journal then stays as it is; the snapshot will cover both.
        if !FileManager.default.fileExists(atPath: files.previousJournal) {
            guard rename(files.journal, files.previousJournal) == 0 else {
                SandboxLog.logger.error("journal not rotated", metadata: ["errno": "\(errno)"])
                return
            }
            do {
                guarded.journal = try JournalWriter(path: files.journal, truncate: true)
                current.close()
            } catch {
                // Appends would otherwise go on into the file about to be removed: put it back.
                _ = rename(files.previousJournal, files.journal)
                SandboxLog.logger.error("journal not rotated", metadata: ["error": "\(error)"])
                return
            }
        }
        guarded.compacting = true
        guarded.snapshotOverdue = false
        let state = guarded.state
        compactor.async { self.writeCompaction(state, files: files) }
    }

    /// Step 2 and 3, on the compactor queue.
    private func writeCompaction(_ state: SandboxState, files: SandboxStateFiles) {
        do {
            let size = try files.writeSnapshot(state)
            SandboxStateFiles.removeIfPresent(files.previousJournal)
            guarded.withLock { guarded in
                guarded.compacting = false
                guarded.snapshotSize = size
            }
        } catch {
            // The journals still hold everything; the next compaction tries again.
            SandboxLog.logger.error("state snapshot not written", metadata: ["error": "\(error)"])
            guarded.withLock { $0.compacting = false }
        }
    }

    /// Waits for a running compaction, then writes the final snapshot and removes the journals, so a
    /// cleanly stopped sandbox leaves only `FILE`. Changes after this are kept in memory only.
    func close() async {
        guard let files else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            compactor.async {
                self.closeNow(files: files)
                continuation.resume()
            }
        }
    }

    /// Closes the journal and writes nothing: for a store that never served (the server failed to start).
    /// Everything it loaded is in its files already.
    func abandon() {
        let journal = guarded.withLock { guarded -> JournalWriter? in
            defer {
                guarded.closed = true
                guarded.journal = nil
            }
            return guarded.journal
        }
        journal?.close()
    }

    private func closeNow(files: SandboxStateFiles) {
        let (state, journal) = guarded.withLock { guarded -> (SandboxState, JournalWriter?) in
            defer {
                guarded.closed = true
                guarded.journal = nil
            }
            return (guarded.state, guarded.journal)
        }
        guard let journal else { return }
        journal.close()
        do {
            _ = try files.writeSnapshot(state)
            SandboxStateFiles.removeIfPresent(files.previousJournal)
            SandboxStateFiles.removeIfPresent(files.journal)
        } catch {
            // The journals stay: the next start replays them.
            SandboxLog.logger.error("state snapshot not written at shutdown", metadata: ["error": "\(error)"])
        }
    }
}
