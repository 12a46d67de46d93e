// Buffered output files of the dry run (payloads, rejects). stdio buffering keeps writes cheap per row; every
// failure is reported with the path, since a full disk must not pass silently.
import Foundation

/// A write-only file written in chunks through stdio.
final class LineWriter {
    let path: String
    private var handle: UnsafeMutablePointer<FILE>?

    init(path: String) throws(DryRunOutputError) {
        self.path = path
        guard let handle = fopen(path, "wb") else {
            throw DryRunOutputError(path: path, message: "cannot create the file (\(String(cString: strerror(errno))))")
        }
        self.handle = handle
    }

    deinit {
        if let handle { fclose(handle) }
    }

    /// Writes `bytes` and a newline.
    func write(_ bytes: [UInt8]) throws(DryRunOutputError) {
        try writeRaw(bytes)
        try writeRaw([0x0A])
    }

    func writeRaw(_ bytes: [UInt8]) throws(DryRunOutputError) {
        guard let handle else { throw DryRunOutputError(path: path, message: "written after close") }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, handle) }
        if written != bytes.count {
            throw DryRunOutputError(path: path, message: "write failed (\(String(cString: strerror(errno))))")
        }
    }

    func close() throws(DryRunOutputError) {
        guard let handle else { return }
        self.handle = nil
        if fclose(handle) != 0 {
            throw DryRunOutputError(
                path: path, message: "could not finish writing (\(String(cString: strerror(errno))))")
        }
    }
}
