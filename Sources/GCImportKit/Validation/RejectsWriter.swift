// --rejects: the invalid rows as a CSV the user can fix in Excel and feed back with the same mapping. It keeps
// the original columns in place (so column numbers in the mapping still fit), adds `_line` and `_error` at the
// end, and is UTF-8 with a BOM (Excel then reads Cyrillic right) with the input's delimiter. Bytes that were
// not text are written back as they were, so the file fed back reports them again instead of importing U+FFFD.
import CSVReader

/// Writes rejected rows as CSV.
struct RejectsWriter {
    private let output: LineWriter
    private let delimiter: UInt8
    private let width: Int

    init(path: String, header: [String], delimiter: UInt8, hasHeader: Bool) throws(DryRunOutputError) {
        output = try LineWriter(path: path)
        self.delimiter = delimiter
        width = header.count
        try output.writeRaw([0xEF, 0xBB, 0xBF])
        // A file read without a header row gets none back either, so it reads the same way again.
        if hasHeader { try output.write(line((header + ["_line", "_error"]).map { Array($0.utf8) })) }
    }

    func write(_ record: CSVRecord, errors: [RowError]) throws(DryRunOutputError) {
        var fields = record.fields.indices.map { record.rawFields[$0] ?? Array(record.fields[$0].utf8) }
        if fields.count < width { fields += [[UInt8]](repeating: [], count: width - fields.count) }
        let message = errors.map { error in
            let place = error.columnName.map { " (\($0))" } ?? error.column.map { " (#\($0))" } ?? ""
            return "\(error.field)\(place): \(error.message)"
        }.joined(separator: "; ")
        try output.write(line(fields + [Array(String(record.line).utf8), Array(message.utf8)]))
    }

    func close() throws(DryRunOutputError) { try output.close() }

    /// One CSV line; fields holding the delimiter, quotes or line breaks are quoted (RFC 4180).
    private func line(_ fields: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(delimiter) }
            let needsQuotes = field.contains {
                $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
            }
            guard needsQuotes else {
                out.append(contentsOf: field)
                continue
            }
            out.append(UInt8(ascii: "\""))
            for byte in field {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
        return out
    }
}
