import Foundation

/// A finished export's whole answer (`{"success":true,"info":{"fields":[…],"items":[…]}}`), written to a
/// temporary file while the export starts, row by row from the database, and sent from the file on each
/// poll: an export of a million users costs the sandbox a file, not its memory. The file is unlinked as
/// soon as it is written and kept open: it goes when the export is forgotten, and with the process however
/// that ends (a sandbox stopped or killed left its last exports in the temporary folder).
final class ExportSpool: Sendable {
    /// Open for reading; the file has no name any more.
    let descriptor: CInt
    let size: Int

    private init(descriptor: CInt, size: Int) {
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close(descriptor) }

    /// Writes the answer; `rows` calls its argument with each row. Nil when the file cannot be written.
    static func write(fields: [String], rows: (([String]) -> Void) -> Void) -> ExportSpool? {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("gcimport-sandbox-export-\(UUID().uuidString).json").path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let file = FileHandle(forWritingAtPath: path)
        else { return nil }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var size = 0
        var failed = false
        func flush() {
            guard !failed, !buffer.isEmpty else { return }
            do { try file.write(contentsOf: buffer) } catch { failed = true }
            size += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        buffer += Array(#"{"success":true,"info":{"fields":"#.utf8)
        JSONWriter.appendStrings(fields, to: &buffer)
        buffer += Array(#","items":["#.utf8)
        var first = true
        rows { row in
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            JSONWriter.appendStrings(row, to: &buffer)
            if buffer.count >= 1 << 20 { flush() }
        }
        buffer += Array("]}}".utf8)
        flush()
        try? file.close()
        let descriptor = failed ? -1 : open(path, O_RDONLY | O_CLOEXEC)
        try? FileManager.default.removeItem(atPath: path)
        guard descriptor >= 0 else { return nil }
        return ExportSpool(descriptor: descriptor, size: size)
    }
}
