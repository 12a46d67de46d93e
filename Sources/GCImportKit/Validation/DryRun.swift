// The dry run: every row of the file through the same mapper and payload builder as the real run, with
// nothing sent. `gcimport validate` and `gcimport run --dry-run` both call this.
public import CSVReader
import Foundation

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
    /// Threads mapping rows; 0 means one per processor. The report is the same whatever the count.
    public var threads = 0

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
        var fold = DryRunFold(
            report: report, keepsDuplicates: mapper.keyPlan != nil, show: options.show,
            errorLimit: options.errorLimit,
            rejects: try options.rejectsPath.map { path in
                try RejectsWriter(path: path, header: reader.header, delimiter: reader.delimiter, hasHeader: hasHeader)
            },
            payloads: try options.payloadsPath.map { try LineWriter(path: $0) })
        try mapAll(reader, mapper: mapper, into: &fold)
        report = try fold.finish()
        report.warnings += reader.fileProblems.map { "\(file): \($0)" }
        if !fold.candidates.isEmpty {
            try collectDuplicates(
                mapper: mapper, candidates: fold.candidates, lastRow: fold.lastCandidateRow, into: &report)
        }
        return report
    }

    /// Reads and maps the records in batches, on several threads when there are several processors; the
    /// verdicts are folded in file order, so the report, rejects and payloads are those of a one-thread run.
    private func mapAll(_ reader: CSVFileReader, mapper: RowMapper, into fold: inout DryRunFold) throws {
        let workers = options.threads > 0 ? options.threads : ProcessInfo.processInfo.activeProcessorCount
        let batchSize = 256
        let settings = DryRunBatch.Settings(
            encodeBodies: options.encodeBodies, keepsPayloads: options.payloadsPath != nil,
            keepsValidRecords: options.show > 0)
        guard workers > 1 else {
            var sequence = 0
            while true {
                var records: [CSVRecord] = []
                while records.count < batchSize, let record = try reader.next() { records.append(record) }
                if records.isEmpty { return }
                let batch = DryRunBatch(sequence: sequence)
                batch.map(records, with: mapper, settings: settings)
                try fold.add(batch, mapper: mapper)
                sequence += 1
            }
        }
        // Each worker has a mapper built from its own parse of the mapping: with one shared mapper, every
        // worker retained and released the same field plans per field, and the contended reference counts
        // cost a fifth of the CPU time.
        let mappers = try (0..<workers).map { _ in try RowMapper(mapping: mapping.unshared(), header: mapper.header) }
        let pipeline = DryRunPipeline(reader: reader, batchSize: batchSize, workers: workers)
        pipeline.start(mappers: mappers, settings: settings)
        // No worker may outlive the run, whether it ends or fails.
        defer { pipeline.finish() }
        while let batch = pipeline.nextInOrder() {
            try fold.add(batch, mapper: mapper)
            pipeline.folded()
            if let error = batch.readError { throw error }
        }
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
