// How a dry run's report reads: a text summary for people, a fixed-shape JSON for scripts.
import CSVReader

/// Renders a `DryRunReport`.
public enum DryRunRenderer {
    /// Errors listed one by one in the text output after the per-field summary.
    static let textErrorLines = 20

    /// The human summary: how the file was read, counts, errors by field, warnings, shown payloads.
    public static func text(_ report: DryRunReport) -> String {
        var out: [String] = []
        let input = report.input
        out.append("\(report.file) with mapping \(report.mappingFile)")
        out.append(
            "  kind \(report.kind.rawValue): POST \(report.kind.endpointPath), action \(report.kind.action)"
                + (report.kind == .userGroups ? " (REPLACES each user's groups with the row's list)" : ""))
        out.append(
            "  read as \(input.encoding.rawValue)\(input.hasBOM ? " with BOM" : "")"
                + (input.encodingWasDetected ? " (detected)" : "") + ", delimiter \(delimiterName(input.delimiter))"
                + (input.delimiterWasDetected ? " (detected)" : "") + ", header on line \(input.headerLine), "
                + "\(input.header.count) columns")
        out.append("")
        out.append(
            "rows \(report.rows)  valid \(report.valid)  invalid \(report.invalid)  skipped \(report.skipped)  "
                + "duplicates \(report.duplicates)  warnings \(report.warnings.count)")
        if !report.fieldErrors.isEmpty {
            out.append("")
            out.append("Errors by field (\(report.errorsTotal) in \(report.invalid) rows):")
            for entry in report.fieldErrors {
                let lines = entry.firstLines.map(String.init).joined(separator: ", ")
                let more = entry.count > entry.firstLines.count ? ", …" : ""
                out.append("  \(entry.field): \(entry.count) — lines \(lines)\(more)")
                out.append("    e.g. \(line(entry.example, file: report.file))")
            }
            out.append("")
            out.append("First errors:")
            for error in report.errors.prefix(textErrorLines) { out.append("  " + line(error, file: report.file)) }
            if report.errorsTotal > textErrorLines {
                out.append("  … \(report.errorsTotal - textErrorLines) more (see --json or --rejects FILE)")
            }
        }
        if !report.skipReasons.isEmpty {
            out.append("")
            out.append("Skipped:")
            for entry in report.skipReasons {
                out.append("  \(entry.count) row(s): \(entry.reason) (first on line \(entry.firstLine))")
            }
        }
        if !report.warnings.isEmpty || !report.duplicateGroups.isEmpty {
            out.append("")
            out.append("Warnings:")
            for warning in report.warnings { out.append("  - " + warning) }
            for group in report.duplicateGroups.prefix(20) {
                let more = group.count > group.lines.count ? ", …" : ""
                out.append(
                    "    «\(group.key)» on \(group.count) rows: lines "
                        + group.lines.map(String.init).joined(separator: ", ") + more)
            }
        }
        for shown in report.shown {
            out.append("")
            out.append("Payload of row \(shown.row) (line \(shown.line)):")
            out.append(shown.prettyJSON)
            out.append("Form body (POST \(report.kind.endpointPath)):")
            out.append(shown.maskedBody)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `FILE:LINE:COLUMN: field: message (value «…»)`, the form every error takes (without the value when
    /// the message already quotes it).
    public static func line(_ error: RowError, file: String) -> String {
        var place = "\(file):\(error.line)"
        if let column = error.column {
            place += ":\(column)"
            if let name = error.columnName { place += " (\(name))" }
        }
        let value = error.messageQuotesValue ? "" : " (value «\(error.value)»)"
        return "\(place): \(error.field): \(error.message)\(value)"
    }

    /// `{"rows", "valid", "invalid", "skipped", "duplicates", "warnings", "errors", "errors_total"}`.
    public static func json(_ report: DryRunReport) -> String {
        var writer = JSONWriter(capacity: 4_096)
        writer.beginObject()
        for (key, value) in [
            ("rows", report.rows), ("valid", report.valid), ("invalid", report.invalid), ("skipped", report.skipped),
            ("duplicates", report.duplicates),
        ] {
            writer.key(key)
            writer.number(value)
        }
        writer.key("warnings")
        writer.beginArray()
        for warning in report.warnings { writer.string(warning) }
        for group in report.duplicateGroups {
            writer.string(
                "duplicate «\(group.key)» on \(group.count) rows: lines "
                    + group.lines.map(String.init).joined(separator: ", "))
        }
        writer.endArray()
        writer.key("errors")
        writer.beginArray()
        for error in report.errors { write(error, file: report.file, to: &writer) }
        writer.endArray()
        writer.key("errors_total")
        writer.number(report.errorsTotal)
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    private static func write(_ error: RowError, file: String, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("file")
        writer.string(file)
        writer.key("row")
        writer.number(error.row)
        writer.key("line")
        writer.number(error.line)
        writer.key("column")
        if let column = error.column { writer.number(column) } else { writer.null() }
        writer.key("column_name")
        if let name = error.columnName { writer.string(name) } else { writer.null() }
        writer.key("field")
        writer.string(error.field)
        writer.key("value")
        writer.string(error.value)
        writer.key("message")
        writer.string(error.message)
        writer.endObject()
    }

    static func delimiterName(_ delimiter: UInt8) -> String {
        switch delimiter {
        case 0x09: "TAB"
        case 0x20...0x7E: "'\(Character(Unicode.Scalar(delimiter)))'"
        default: "0x" + String(delimiter, radix: 16)
        }
    }
}
