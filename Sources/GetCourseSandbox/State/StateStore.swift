import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Owns the account's state: one ``SandboxState`` behind a `Mutex`, written to the `--state` file after
/// every change so a test can kill the sandbox and start it again on the same data.
final class StateStore: Sendable {
    private let state: Mutex<SandboxState>
    private let path: String?

    /// Loads `path` if it exists; a missing file is a fresh account, a corrupt one is an error (starting
    /// empty would silently lose what a rehearsal imported).
    init(path: String?) throws(SandboxError) {
        self.path = path
        var initial = SandboxState()
        if let path, FileManager.default.fileExists(atPath: path) {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                initial = try Self.decoder.decode(SandboxState.self, from: data)
            } catch {
                throw SandboxError.stateFile(path: path, reason: String(describing: error))
            }
        }
        state = Mutex(initial)
    }

    /// Runs `body` on the state under the lock. When it reports a change the file is rewritten before the
    /// lock is released, so the file never lags behind an answer the client has seen.
    func update<Result: Sendable>(_ body: (inout SandboxState) -> (Result, changed: Bool)) -> Result {
        state.withLock { current in
            let (result, changed) = body(&current)
            if changed { persist(current) }
            return result
        }
    }

    /// Reads the state under the lock.
    func read<Result: Sendable>(_ body: (SandboxState) -> Result) -> Result {
        state.withLock { body($0) }
    }

    /// Counts one request at `endpoint` with its outcome (persisted with the rest).
    func count(endpoint: String, outcome: String) {
        update { state in
            state.count(endpoint: endpoint, outcome: outcome)
            return ((), changed: true)
        }
    }

    /// Empties the account (users, deals, groups, counters, id sequences).
    func reset() {
        update { state in
            state = SandboxState()
            return ((), changed: true)
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

    private func persist(_ current: SandboxState) {
        guard let path else { return }
        // Temp file + rename: a kill mid-write leaves the previous complete file, never half of one.
        let temporary = path + ".tmp"
        do {
            let data = try Self.fileEncoder.encode(current)
            try data.write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 {
                throw SandboxError.stateFile(path: path, reason: "rename failed, errno \(errno)")
            }
        } catch {
            // A full disk must not take the API down; the answer still goes out and the log says why.
            SandboxLog.logger.error(
                "state file not written",
                metadata: ["state.path": "\(path)", "error": "\(error)"]
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

    /// The file is compact: it is rewritten after every call, and indentation would double its size.
    static let fileEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder = JSONDecoder()
}
