import Dispatch
import Foundation
import Synchronization

/// Appends ledger lines to disk, safely from any number of worker threads.
///
/// Each line goes out in one `write(2)` as soon as it is handed over, so a crash or `kill -9` loses nothing
/// the writer accepted; `fsync` runs at least once a second while lines arrive, from a timer when they stop,
/// and on close, so a power cut loses at most the last second. An exclusive `flock` keeps a second gcimport
/// process from interleaving its rows into the same ledger.
package final class LedgerWriter: Sendable {
    private struct State {
        var isDirty = false
        var lastSync = ContinuousClock.now
        var failure: LedgerError?
        var isClosed = false
    }

    let path: String
    private let descriptor: Int32
    private let state = Mutex(State())
    // A DispatchSource is thread-safe by design (its handlers run on the given queue); the reference is
    // only resumed here and cancelled in close(), so sharing it across threads is safe.
    private nonisolated(unsafe) let timer: any DispatchSourceTimer

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
        self.timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "gcimport.ledger.sync"))
        timer.schedule(deadline: .now() + .seconds(1), repeating: .seconds(1))
        timer.setEventHandler { [weak self] in try? self?.syncIfDirty() }
        timer.resume()
    }

    /// Starts a new ledger with its header; refuses to overwrite one that exists.
    package static func create(path: String, header: LedgerHeader) throws(LedgerError) -> LedgerWriter {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw LedgerError(.exists(path: path)) }
            throw LedgerError(.writeFailed(path: path, reason: String(cString: strerror(errno))))
        }
        let writer = try locked(path: path, descriptor: descriptor)
        do throws(LedgerError) {
            try writer.writeLine(try encodeLine(header, path: path))
            try writer.sync()
        } catch {
            try? writer.close()
            unlink(path)
            throw error
        }
        return writer
    }

    /// Reopens an existing ledger to resume it. A torn last line (a crash mid-write) is cut off first, so
    /// new lines never glue onto half a line.
    static func append(path: String) throws(LedgerError) -> LedgerWriter {
        let descriptor = open(path, O_RDWR | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            // A ledger that reads but cannot be written (a read-only file system, no write permission) is a
            // write failure: the user makes it writable and resumes.
            let readOnly = open(path, O_RDONLY | O_CLOEXEC)
            if readOnly >= 0 {
                Foundation.close(readOnly)
                throw LedgerError(.writeFailed(path: path, reason: reason))
            }
            throw LedgerError(.unreadable(path: path, reason: reason))
        }
        let writer = try locked(path: path, descriptor: descriptor)
        try writer.truncateTornTail()
        return writer
    }

    private static func locked(path: String, descriptor: Int32) throws(LedgerError) -> LedgerWriter {
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            Foundation.close(descriptor)
            throw LedgerError(.locked(path: path))
        }
        return LedgerWriter(path: path, descriptor: descriptor)
    }

    // MARK: Writing

    /// Appends one row's event as one line; a full disk or another I/O error is thrown as a `LedgerError`.
    package func write(_ event: LedgerEvent) throws(LedgerError) {
        try writeLine(event.jsonLine())
    }

    func write(run: LedgerRunRecord) throws(LedgerError) {
        try writeLine(try Self.encodeLine(run, path: path))
    }

    func write(check: LedgerCheckRecord) throws(LedgerError) {
        try writeLine(try Self.encodeLine(check, path: path))
    }

    func write(export: LedgerExportRecord) throws(LedgerError) {
        try writeLine(try Self.encodeLine(export, path: path))
    }

    func write(verify: LedgerVerifyRecord) throws(LedgerError) {
        try writeLine(try Self.encodeLine(verify, path: path))
    }

    /// Header and run lines are rare, so they go through JSONEncoder.
    private static func encodeLine(_ value: some Encodable, path: String) throws(LedgerError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            throw LedgerError(.writeFailed(path: path, reason: "cannot encode a ledger line"))
        }
        return Array(data) + [UInt8(ascii: "\n")]
    }

    private func writeLine(_ bytes: [UInt8]) throws(LedgerError) {
        let result: Result<Bool, LedgerError> = state.withLock { state in
            if let failure = state.failure { return .failure(failure) }
            if state.isClosed { return .failure(LedgerError(.writeFailed(path: path, reason: "ledger closed"))) }
            if let failure = writeAll(bytes) {
                state.failure = failure
                return .failure(failure)
            }
            state.isDirty = true
            return .success(ContinuousClock.now - state.lastSync >= .seconds(1))
        }
        if try result.get() { try syncIfDirty() }
    }

    /// One `write(2)` per line in the common case; the loop only continues after a short write.
    private func writeAll(_ bytes: [UInt8]) -> LedgerError? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Foundation.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return errno == ENOSPC || errno == EDQUOT
                    ? LedgerError(.diskFull(path: path))
                    : LedgerError(.writeFailed(path: path, reason: String(cString: strerror(errno))))
            }
            offset += written
        }
        return nil
    }

    // MARK: Durability

    /// Flushes everything written so far to the disk.
    func sync() throws(LedgerError) {
        try syncIfDirty(force: true)
    }

    private func syncIfDirty(force: Bool = false) throws(LedgerError) {
        let result: LedgerError? = state.withLock { state in
            guard !state.isClosed, state.isDirty || force else { return nil }
            if fsync(descriptor) != 0, errno != EINVAL {
                let failure =
                    errno == ENOSPC
                    ? LedgerError(.diskFull(path: path))
                    : LedgerError(.writeFailed(path: path, reason: String(cString: strerror(errno))))
                state.failure = state.failure ?? failure
                return failure
            }
            state.isDirty = false
            state.lastSync = .now
            return nil
        }
        if let result { throw result }
    }

    /// Syncs and closes; later writes fail. Safe to call twice.
    package func close() throws(LedgerError) {
        timer.cancel()
        try syncIfDirty(force: true)
        state.withLock { state in
            guard !state.isClosed else { return }
            state.isClosed = true
            flock(descriptor, LOCK_UN)
            Foundation.close(descriptor)
        }
    }

    deinit {
        timer.cancel()
        state.withLock { state in
            if !state.isClosed {
                fsync(descriptor)
                Foundation.close(descriptor)
            }
        }
    }

    // MARK: Recovery

    private func truncateTornTail() throws(LedgerError) {
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return }
        var end = size
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Walk back from the end to the last newline; everything after it is a torn line.
        while end > 0 {
            let start = max(0, end - off_t(buffer.count))
            let count = Int(end - start)
            let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, start) }
            guard read == count else {
                throw LedgerError(.unreadable(path: path, reason: String(cString: strerror(errno))))
            }
            if let newline = buffer[0..<count].lastIndex(of: UInt8(ascii: "\n")) {
                let keep = start + off_t(newline) + 1
                if keep < size, ftruncate(descriptor, keep) != 0 {
                    throw LedgerError(.writeFailed(path: path, reason: String(cString: strerror(errno))))
                }
                return
            }
            end = start
        }
        throw LedgerError(.notALedger(path: path))
    }
}
