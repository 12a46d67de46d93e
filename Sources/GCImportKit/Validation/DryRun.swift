// The dry run: every row of the file through the same mapper and payload builder as the real run, with
// nothing sent. `gcimport validate` and `gcimport run --dry-run` both call this.
package import CSVReader
import Foundation

/// Options of a dry run, built once from the command line.
package struct DryRunOptions: Sendable {
    /// Command-line reader settings; the mapping's `csv:` settings override them.
    package var readerOptions = CSVReaderOptions()
    /// Pretty-print this many payloads into the report.
    package var show = 0
    /// Write invalid rows here (CSV, UTF-8 with BOM, the input's delimiter, plus `_line` and `_error`).
    package var rejectsPath: String?
    /// Write one compact JSON payload per line here.
    package var payloadsPath: String?
    /// Errors kept in `DryRunReport.errors`; the total is counted regardless.
    var errorLimit = 1_000
    /// Threads reading and mapping rows; 0 means one per processor, at most `defaultThreadLimit`. The report
    /// is the same whatever the count.
    package var threads = 0
    /// Past four threads the reading, which they take in turn, limits the rate, and every thread adds a
    /// window of batches to memory (BENCHMARKS.md, "Design choices, measured").
    static let defaultThreadLimit = 4

    package init() {}
}

/// Output files of the dry run that cannot be written (exit 73).
package struct DryRunOutputError: Error, Sendable, CustomStringConvertible {
    var path: String
    var message: String
    package var description: String { "\(path): \(message)" }
}

/// Reads the whole file, maps every row, and reports; memory stays flat whatever the file's size.
package struct DryRun: Sendable {
    var file: String
    var mapping: Mapping
    var options: DryRunOptions

    /// A dry run of `mapping` over `file`; nothing is read until `run()`.
    package init(file: String, mapping: Mapping, options: DryRunOptions = .init()) {
        self.file = file
        self.mapping = mapping
        self.options = options
    }

    /// Throws `MappingError` (mapping does not fit the file), `CSVReadError` (file unreadable) — exit 65 —
    /// or `DryRunOutputError` (rejects/payloads file not writable).
    package func run() throws -> DryRunReport {
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
            report: report, keepsDuplicates: mapper.keyPlan != nil, fileSize: reader.fileSize, show: options.show,
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
        let settings = DryRunBatch.Settings(
            keepsPayloads: options.payloadsPath != nil, keepsValidRecords: options.show > 0)
        let work = try workerMappers(mapper).map { worker in
            { @Sendable (rows: RowBatch) in DryRunBatch(mapping: rows, with: worker, settings: settings) }
        }
        try DryRunPipeline.each(of: reader, batchSize: Self.batchSize, work: work) { batch in
            try fold.add(batch, mapper: mapper)
        }
    }

    /// Rows per batch. Each batch moves the reader (libcsv's state, the chunk just read) to another core, so
    /// bigger batches are faster; this is the biggest that keeps the dry run inside its 64 MiB budget
    /// (BENCHMARKS.md, "Design choices, measured").
    private static let batchSize = 1_024

    /// One mapper per worker thread (see `DryRunOptions.threads`), each built from its own parse of the
    /// mapping: with one shared mapper, workers retained and released the same field plans for every field,
    /// and the contended reference counts cost a large share of the CPU time (BENCHMARKS.md).
    private func workerMappers(_ mapper: RowMapper) throws -> [RowMapper] {
        let count =
            options.threads > 0
            ? options.threads
            : min(ProcessInfo.processInfo.activeProcessorCount, DryRunOptions.defaultThreadLimit)
        guard count > 1 else { return [mapper] }
        return try (0..<count).map { _ in try RowMapper(mapping: mapping.unshared(), header: mapper.header) }
    }

    /// The second pass over the file, only when the Bloom filter saw possible repeats. It stops at the last
    /// candidate row, and runs on the same threads as the first.
    private func collectDuplicates(
        mapper: RowMapper, candidates: Set<UInt64>, lastRow: Int, into report: inout DryRunReport
    ) throws {
        let reader = try CSVFileReader(path: file, options: mapping.readerOptions(options.readerOptions, file: file))
        var collector = DuplicateCollector()
        let work = try workerMappers(mapper).map { worker in
            { @Sendable (rows: RowBatch) -> [(key: String, line: Int)] in
                var keys: [(key: String, line: Int)] = []
                var scratch = ByteScratch()
                for index in 0..<rows.count {
                    // The key read on bytes rules most rows out; a candidate, or a row only the `String` path
                    // can read, is decoded.
                    let mayRepeat = rows.withRow(index) { raw -> Bool in
                        switch worker.naturalKeyBytes(raw, scratch: &scratch) {
                        case .key(let bytes): candidates.contains(DuplicateDetector.hash(bytes))
                        case .none: false
                        case .unknown: true
                        }
                    }
                    guard mayRepeat else { continue }
                    let record = rows.record(at: index)
                    guard let key = worker.naturalKey(record), candidates.contains(DuplicateDetector.hash(key))
                    else { continue }
                    // Only rows that would be sent count; a candidate row is mapped in full to know.
                    guard case .payload = worker.map(record) else { continue }
                    keys.append((key, record.line))
                }
                return keys
            }
        }
        try DryRunPipeline.each(of: reader, batchSize: Self.batchSize, lastRow: lastRow, work: work) { keys in
            for (key, line) in keys { collector.add(key, line: line) }
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
            "GetCourse keeps one user per email; with refresh_if_exists=1 each later row updates it, and the run "
                + "sends such rows one after another in file order, so the last row's values stay"
        case .deal, .dealStatus:
            "rows with the same deal_number update the same order; the run sends them one after another in file "
                + "order, so the last row's values stay"
        case .userGroups: "the run sends them in file order, so the last row for a user decides its groups"
        }
    }
}
