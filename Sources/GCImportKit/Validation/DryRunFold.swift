// The dry run's reading thread folds each mapped batch into the report, in file order: counts, errors by
// field, skip reasons, the duplicate filter, the first payloads shown, and the rejects and payloads files.

import CSVReader

/// The report being built while the batches come back.
struct DryRunFold {
    private var report: DryRunReport
    private let show: Int
    private let errorLimit: Int
    private let rejects: RejectsWriter?
    private let payloads: LineWriter?
    private var tally = FieldErrorTally(linesKept: 5)
    private var skipTally: [String: (count: Int, firstLine: Int)] = [:]
    private var skipOrder: [String] = []
    private var mojibake = MojibakeTally()
    private var detector: DuplicateDetector?
    private let keepsDuplicates: Bool
    /// The input's size, for the filter's estimate of its rows; nil for a pipe.
    private let fileSize: Int?
    /// The last row whose key the filter may have seen before; the second pass stops there.
    private(set) var lastCandidateRow = 0

    init(
        report: DryRunReport, keepsDuplicates: Bool, fileSize: Int?, show: Int, errorLimit: Int,
        rejects: RejectsWriter?, payloads: LineWriter?
    ) {
        self.report = report
        self.show = show
        self.errorLimit = errorLimit
        self.rejects = rejects
        self.payloads = payloads
        self.keepsDuplicates = keepsDuplicates
        self.fileSize = fileSize
    }

    /// The filter, sized at the first batch for the rows the file holds if its rows are like those: the
    /// file's bytes over the batch's bytes of text per row (no delimiters, quotes or line ends, so the
    /// estimate runs high). A file of 1M rows gets 8 MiB instead of 32; one whose later rows are much shorter
    /// than its first gets a fuller filter, hence more false candidates and a longer second pass, never a
    /// wrong count. A pipe gets the largest filter.
    private static func detector(fileSize: Int?, first batch: DryRunBatch) -> DuplicateDetector {
        guard let fileSize, batch.textBytes > 0 else { return DuplicateDetector() }
        let keys = Double(fileSize) * Double(batch.verdicts.count) / Double(batch.textBytes)
        return DuplicateDetector(blockCount: DuplicateDetector.blockCount(forKeys: Int(min(keys, 1e12))))
    }

    /// Key hashes the filter may have seen twice: the second pass looks only at these.
    var candidates: Set<UInt64> { detector?.candidates ?? [] }

    /// Folds one mapped batch in; `mapper` maps again the few rows `--show` prints (the workers keep their
    /// records, not their payloads).
    mutating func add(_ batch: DryRunBatch, mapper: RowMapper) throws(DryRunOutputError) {
        if keepsDuplicates && detector == nil { detector = Self.detector(fileSize: fileSize, first: batch) }
        if detector != nil {
            // Each probe is a cache miss (megabytes, one random block per key): the block of the key eight rows
            // ahead is prefetched, so several misses are under way at once.
            let verdicts = batch.verdicts
            for index in verdicts.indices {
                if index + 8 < verdicts.count, let ahead = verdicts[index + 8].keyHash {
                    detector?.prefetch(hash: ahead)
                }
                if let hash = verdicts[index].keyHash, detector?.insert(hash: hash) == true {
                    lastCandidateRow = verdicts[index].row
                }
            }
        }
        for index in batch.verdicts.indices {
            report.rows += 1
            if let finding = batch.verdicts[index].mojibake { mojibake.add(finding) }
            switch batch.verdicts[index].outcome {
            case .valid:
                report.valid += 1
                if report.shown.count < show, let record = batch.verdicts[index].record,
                    case .payload(let payload) = mapper.map(record)
                {
                    report.shown.append(
                        .init(
                            row: payload.row, line: payload.line, prettyJSON: JSONPrettyPrinter.format(payload.params),
                            maskedBody: PayloadBuilder.maskedBody(payload)))
                }
                if let payloads { try payloads.write(batch.verdicts[index].params) }
            case .invalid:
                report.invalid += 1
                let errors = batch.verdicts[index].errors
                for error in errors {
                    report.errorsTotal += 1
                    tally.add(error)
                    if report.errors.count < errorLimit { report.errors.append(error) }
                }
                if let rejects, let record = batch.verdicts[index].record { try rejects.write(record, errors: errors) }
            case .skipped:
                report.skipped += 1
                let reason = batch.verdicts[index].skipReason
                if let seen = skipTally[reason] {
                    skipTally[reason] = (seen.count + 1, seen.firstLine)
                } else {
                    skipTally[reason] = (1, batch.verdicts[index].line)
                    skipOrder.append(reason)
                }
            }
        }
    }

    /// Closes the output files and returns the report with its summaries filled in.
    func finish() throws(DryRunOutputError) -> DryRunReport {
        try rejects?.close()
        try payloads?.close()
        var report = report
        report.warnings += mojibake.warnings(header: report.input.header, input: report.input)
        report.fieldErrors = tally.summaries
        report.skipReasons = skipOrder.prefix(50).compactMap { reason in
            skipTally[reason].map { (reason, $0.count, $0.firstLine) }
        }
        return report
    }
}
