import Foundation

/// A finished export's whole answer (`{"success":true,"info":{"fields":[…],"items":[…]}}`), written to a
/// temporary file while the export starts, row by row from the database, and sent from the file on each
/// poll: an export of a million users costs the sandbox a file, not its memory. The file is removed when
/// the export is forgotten.
final class ExportSpool: Sendable {
    let path: String
    let size: Int

    private init(path: String, size: Int) {
        self.path = path
        self.size = size
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

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
        guard !failed else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        return ExportSpool(path: path, size: size)
    }
}
