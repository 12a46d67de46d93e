// The dry run: every row of the file through the same mapper and payload builder as the real run, with
// nothing sent. `gcimport validate` and `gcimport run --dry-run` both call this.
public import CSVReader

/// Options of a dry run, built once from the command line.
public struct DryRunOptions: Sendable {
    /// Command-line reader settings; the mapping's `csv:` settings override them.
    public var readerOptions = CSVReaderOptions()
    /// Pretty-print this many payloads into the report.
    public var show = 0
    /// Write invalid rows here (CSV, UTF-8 with BOM, the input's delimiter, plus `_line` and `_error`).
    public var rejectsPath: String?
    /// Write one compact JSON payload per line here.
    public var payloadsPath: String?
    /// Errors kept in `DryRunReport.errors`; the total is counted regardless.
    public var errorLimit = 1_000
    /// Build every form body exactly as the run would (base64 + percent-encoding), to prove it works and
    /// report the bytes; off only saves time.
    public var encodeBodies = true

    public init() {}
}

/// Output files of the dry run that cannot be written (exit 73).
public struct DryRunOutputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// Reads the whole file, maps every row, and reports; memory stays flat whatever the file's size.
public struct DryRun: Sendable {
    public var file: String
    public var mapping: Mapping
    public var options: DryRunOptions

    public init(file: String, mapping: Mapping, options: DryRunOptions = .init()) {
        self.file = file
        self.mapping = mapping
        self.options = options
    }

    /// Throws `MappingError` (mapping does not fit the file), `CSVReadError` (file unreadable) — exit 65 —
    /// or `DryRunOutputError` (rejects/payloads file not writable).
    public func run() throws -> DryRunReport {
        let reader = try CSVFileReader(path: file, options: mapping.readerOptions(options.readerOptions, file: file))
        let mapper: RowMapper
        do {
            mapper = try RowMapper(mapping: mapping, header: reader.header)
        } catch {
            var located = error
            located.message += " (file: \(file))"
            throw located
        }
        var report = DryRunReport(
            file: file, mappingFile: mapping.path, kind: mapping.kind,
            input: .init(
                delimiter: reader.delimiter, delimiterWasDetected: reader.delimiterWasDetected,
                encoding: reader.encoding, encodingWasDetected: reader.encodingWasDetected, hasBOM: reader.hasBOM,
                header: reader.header, headerLine: reader.headerLine))
        report.warnings = mapping.warnings
        let hasHeader = mapping.readerOptions(options.readerOptions).hasHeader
        let rejects = try options.rejectsPath.map { path in
            try RejectsWriter(path: path, header: reader.header, delimiter: reader.delimiter, hasHeader: hasHeader)
        }
        let payloads = try options.payloadsPath.map { try LineWriter(path: $0) }
        var tally = FieldErrorTally(linesKept: 5)
        var skipTally: [String: (count: Int, firstLine: Int)] = [:]
        var skipOrder: [String] = []
        var detector = mapper.keyPlan == nil ? nil : DuplicateDetector()
        var lastCandidateRow = 0
        var body: [UInt8] = []  // one buffer for every row's form body

        while let record = try reader.next() {
            report.rows += 1
            let (row, key) = mapper.mapWithKey(record)
            switch row {
            case .payload(let payload):
                report.valid += 1
                if let key, detector?.insert(key) == true { lastCandidateRow = record.row }
                if options.encodeBodies {
                    FormBody.encode(action: payload.kind.action, key: "", params: payload.params, into: &body)
                    report.bodyBytes += body.count
                }
                if report.shown.count < options.show {
                    report.shown.append(
                        .init(
                            row: payload.row, line: payload.line, prettyJSON: JSONPrettyPrinter.format(payload.params),
                            maskedBody: PayloadBuilder.maskedBody(payload)))
                }
                try payloads?.write(payload.params)
            case .invalid(_, _, let errors):
                report.invalid += 1
                for error in errors {
                    report.errorsTotal += 1
                    tally.add(error)
                    if report.errors.count < options.errorLimit { report.errors.append(error) }
                }
                try rejects?.write(record, errors: errors)
            case .skipped(_, let line, let reason):
                report.skipped += 1
                if let seen = skipTally[reason] {
                    skipTally[reason] = (seen.count + 1, seen.firstLine)
                } else {
                    skipTally[reason] = (1, line)
                    skipOrder.append(reason)
                }
            }
        }
        try rejects?.close()
        try payloads?.close()
        report.fieldErrors = tally.summaries
        report.skipReasons = skipOrder.prefix(50).compactMap { reason in
            skipTally[reason].map { (reason, $0.count, $0.firstLine) }
        }
        report.warnings += reader.fileProblems.map { "\(file): \($0)" }
        if let detector, !detector.candidates.isEmpty {
            try collectDuplicates(
                mapper: mapper, candidates: detector.candidates, lastRow: lastCandidateRow, into: &report)
        }
        return report
    }

    /// The second pass over the file, only when the Bloom filter saw possible repeats.
    private func collectDuplicates(
        mapper: RowMapper, candidates: Set<UInt64>, lastRow: Int, into report: inout DryRunReport
    ) throws {
        let reader = try CSVFileReader(path: file, options: mapping.readerOptions(options.readerOptions, file: file))
        var collector = DuplicateCollector(candidates: candidates)
        while let record = try reader.next(), record.row <= lastRow {
            guard let key = mapper.naturalKey(record), collector.isCandidate(key) else { continue }
            // Only rows that would be sent count; a candidate row is mapped in full to know.
            guard case .payload = mapper.map(record) else { continue }
            collector.add(key, line: record.line)
        }
        let groups = collector.duplicates
        report.duplicates = groups.reduce(0) { $0 + $1.count - 1 }
        report.duplicateGroups = Array(groups.prefix(100))
        guard !groups.isEmpty, let field = mapping.naturalKeyField else { return }
        report.warnings.append(
            "\(report.duplicates) row(s) repeat the \(field) of an earlier row (\(groups.count) key(s)): "
                + Self.duplicateAdvice(mapping.kind))
    }

    private static func duplicateAdvice(_ kind: ImportKind) -> String {
        switch kind {
        case .user:
            "GetCourse keeps one user per email; with refresh_if_exists=1 the later row updates the earlier one"
        case .deal: "rows with the same deal_number update the same order; the last one sent wins"
        case .userGroups: "the last row for a user decides its groups"
        }
    }
}
