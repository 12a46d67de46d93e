// How a dry run's report reads: a text summary for people, a fixed-shape JSON for scripts.
import CSVReader

/// Renders a `DryRunReport`.
package enum DryRunRenderer {
    /// Errors listed one by one in the text output after the per-field summary.
    static let textErrorLines = 20

    /// The human summary: how the file was read, counts, errors by field, warnings, shown payloads.
    package static func text(_ report: DryRunReport) -> String {
        var out: [String] = []
        let input = report.input
        out.append("\(report.file) with mapping \(report.mappingFile)")
        out.append(
            "  kind \(report.kind.rawValue): POST \(report.kind.endpointPath), action \(report.kind.action)"
                + (report.kind == .userGroups ? " (REPLACES each user's groups with the row's list)" : ""))
        out.append(
            "  read as \(input.encoding.rawValue)\(input.hasBOM ? " with BOM" : "")"
                + (input.encodingWasDetected ? " (detected)" : "")
                + ", delimiter \(CSVDelimiter.quoted(input.delimiter))"
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
    static func line(_ error: RowError, file: String) -> String {
        var place = "\(file):\(error.line)"
        if let column = error.column {
            place += ":\(column)"
            if let name = error.columnName { place += " (\(name))" }
        }
        let value = error.messageQuotesValue ? "" : " (value «\(error.value)»)"
        return "\(place): \(error.field): \(error.message)\(value)"
    }

    /// `{"rows", "valid", "invalid", "skipped", "duplicates", "warnings", "errors", "errors_total"}`, through
    /// the reports' one encoder.
    package static func json(_ report: DryRunReport) -> String {
        let duplicates = report.duplicateGroups.map { group in
            "duplicate «\(group.key)» on \(group.count) rows: lines "
                + group.lines.map(String.init).joined(separator: ", ")
        }
        return ReportJSON.encode(
            DryRunJSON(
                rows: report.rows, valid: report.valid, invalid: report.invalid, skipped: report.skipped,
                duplicates: report.duplicates, warnings: report.warnings + duplicates,
                errors: report.errors.map { DryRunJSON.Error($0, file: report.file) },
                errorsTotal: report.errorsTotal))
    }

}

/// `validate --json`.
private struct DryRunJSON: Encodable {
    /// One row error; `column` and `column_name` are null when the error is not about one cell.
    struct Error: Encodable {
        var file: String
        var row: Int
        var line: Int
        var column: Int?
        var columnName: String?
        var field: String
        var value: String
        var message: String

        init(_ error: RowError, file: String) {
            self.file = file
            row = error.row
            line = error.line
            column = error.column
            columnName = error.columnName
            field = error.field
            value = error.value
            message = error.message
        }

        enum CodingKeys: String, CodingKey {
            case file, row, line, column, field, value, message
            case columnName = "column_name"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(row, forKey: .row)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(columnName, forKey: .columnName)
            try container.encode(field, forKey: .field)
            try container.encode(value, forKey: .value)
            try container.encode(message, forKey: .message)
        }
    }

    var rows: Int
    var valid: Int
    var invalid: Int
    var skipped: Int
    var duplicates: Int
    var warnings: [String]
    var errors: [Error]
    var errorsTotal: Int

    enum CodingKeys: String, CodingKey {
        case rows, valid, invalid, skipped, duplicates, warnings, errors
        case errorsTotal = "errors_total"
    }
}
