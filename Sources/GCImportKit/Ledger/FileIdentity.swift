import Crypto
import Foundation

/// Ties a ledger to the exact bytes of an input or mapping file, so a resume never misapplies a ledger to a
/// changed file.
package struct FileIdentity: Codable, Sendable, Equatable {
    package var path: String
    var size: Int64
    var sha256: String

    /// Streams the file through SHA-256 in fixed chunks (constant memory for any size).
    package static func of(path: String) throws(LedgerError) -> FileIdentity {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LedgerError(.unreadable(path: path, reason: "cannot open it for reading"))
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += Int64(chunk.count)
            }
        } catch {
            throw LedgerError(.unreadable(path: path, reason: "\(error)"))
        }
        let digest = hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }
        return FileIdentity(path: absolutePath(path), size: size, sha256: digest.joined())
    }

    /// Ledgers record absolute paths so `retry` and `failed` work from any directory.
    static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
