import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The files behind `--state FILE`: the snapshot `FILE`, the journal `FILE.journal` of changes since it,
/// and, while a compaction is writing a new snapshot, `FILE.journal.old` (the journal it replaces).
///
/// The account is the snapshot with `FILE.journal.old` and then `FILE.journal` replayed on it. See
/// ``StateStore`` for when each is written.
public struct SandboxStateFiles: Sendable {
    /// The snapshot, as `--state` names it.
    public let snapshot: String

    public init(statePath: String) {
        snapshot = statePath
    }

    /// Changes applied since the snapshot, one JSON line each.
    public var journal: String { snapshot + ".journal" }
    /// The journal a running compaction is folding into a new snapshot.
    var previousJournal: String { snapshot + ".journal.old" }
    /// The snapshot being written, renamed over ``snapshot`` once complete.
    var temporary: String { snapshot + ".tmp" }

    /// Removes the snapshot, the journals and any half-written snapshot: the next start is a new account.
    ///
    /// The snapshot goes first: if this is interrupted, a journal left alone either replays onto an empty
    /// account in full (it began at one) or is refused at start as not fitting, never silently half-applied.
    public func removeAll() throws {
        for path in [snapshot, temporary, previousJournal, journal] where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }

    /// The snapshot's size in bytes, 0 when it does not exist.
    var snapshotSize: Int { Self.size(of: snapshot) }

    /// A file's size in bytes, 0 when it does not exist.
    static func size(of path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }

    /// Writes `state` as the new snapshot: temp file + rename, so a kill mid-write leaves the previous
    /// complete snapshot, never half of one. Returns the size written.
    func writeSnapshot(_ state: SandboxState) throws(SandboxError) -> Int {
        do {
            let data = try StateStore.fileEncoder.encode(state)
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, snapshot) == 0 else {
                throw SandboxError.stateFile(path: snapshot, reason: "rename failed, errno \(errno)")
            }
            return data.count
        } catch let error as SandboxError {
            throw error
        } catch {
            throw SandboxError.stateFile(path: snapshot, reason: String(describing: error))
        }
    }

    /// The snapshot, or a new account when there is none; a file that does not decode is an error (starting
    /// empty would silently lose what a rehearsal imported).
    func loadSnapshot() throws(SandboxError) -> SandboxState {
        guard FileManager.default.fileExists(atPath: snapshot) else { return SandboxState() }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: snapshot))
            return try StateStore.decoder.decode(SandboxState.self, from: data)
        } catch {
            throw SandboxError.stateFile(path: snapshot, reason: String(describing: error))
        }
    }

    /// Removes `path` if it is there; false (and a log line) when it is there and stays.
    @discardableResult
    static func removeIfPresent(_ path: String) -> Bool {
        guard unlink(path) != 0, errno != ENOENT else { return true }
        SandboxLog.logger.error("state file not removed", metadata: ["state.path": "\(path)", "errno": "\(errno)"])
        return false
    }
}
