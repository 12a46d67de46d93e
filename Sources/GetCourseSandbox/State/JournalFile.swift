import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The open journal: an append-only file descriptor and what has been written to it.
///
/// One `write(2)` per record, no `fsync`: once the kernel has the bytes, killing the process cannot lose
/// them, and that is the durability the sandbox promises (a power cut is not part of a rehearsal).
struct JournalWriter {
    let path: String
    private var descriptor: Int32
    /// Bytes in the file, to decide when to compact and to cut a failed append back off.
    private(set) var size: Int
    /// Records appended since the file was opened.
    private(set) var records = 0

    /// Opens `path` for appending, emptying it first when `truncate`.
    init(path: String, truncate: Bool) throws(SandboxError) {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0)
        descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else {
            throw SandboxError.stateFile(path: path, reason: "cannot open the journal, errno \(errno)")
        }
        var status = stat()
        size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
    }

    /// Appends one line. On failure the file is cut back to where it was, so a later record never
    /// follows half of one, and the error is thrown for the caller to log.
    mutating func append(_ line: [UInt8]) throws(SandboxError) {
        var written = 0
        while written < line.count {
            let result = line.withUnsafeBytes { bytes in
                write(descriptor, bytes.baseAddress.map { $0 + written }, line.count - written)
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let reason = "append failed, errno \(errno)"
                _ = ftruncate(descriptor, off_t(size))
                throw SandboxError.stateFile(path: path, reason: reason)
            }
            written += result
        }
        size += written
        records += 1
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}

/// Reads a journal back, one line at a time: a journal may be as large as the snapshot, and decoding
/// every record before applying any would hold them all in memory at once.
struct JournalReader {
    let path: String
    /// The complete lines, as slices of the file's bytes.
    let lines: [Data]

    /// The journal at `path` (no lines when it does not exist). A last line without its newline is a
    /// write the process was killed in the middle of: it was never complete, so it is dropped.
    init(path: String) throws(SandboxError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            lines = []
            return
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SandboxError.stateFile(path: path, reason: String(describing: error))
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // After the last newline: empty for a complete journal, a torn record otherwise.
        lines.removeLast()
        self.lines = lines
    }

    /// Whether line `index` is a reset, without decoding it (resets are always written the same way).
    func isReset(_ index: Int) -> Bool { lines[index].elementsEqual(Self.resetLine) }

    /// Line `index` decoded; a line that does not decode is an error.
    func record(_ index: Int) throws(SandboxError) -> JournalRecord {
        do {
            return try StateStore.decoder.decode(JournalRecord.self, from: lines[index])
        } catch {
            throw SandboxError.stateFile(path: path, reason: "line \(index + 1) of the journal: \(error)")
        }
    }

    static let resetLine: [UInt8] = (try? Array(StateStore.lineEncoder.encode(JournalRecord.resetRecord))) ?? []
}
