// The dry run's unit of work: a run of consecutive records, read and mapped by one thread; the thread that
// builds the report then folds the verdicts in file order.
import CSVReader

/// The verdicts on consecutive records, in file order.
struct DryRunBatch {
    /// The verdict on one record, flattened so the folding thread reads plain values: binding the payload
    /// out of a `MappedRow` there retained (atomically) objects a worker had just created.
    struct Verdict {
        enum Outcome { case valid, invalid, skipped }
        var outcome: Outcome
        var row: Int
        var line: Int
        /// Hash of the normalised natural key of a valid row, for the duplicate filter.
        var keyHash: UInt64?
        /// The payload JSON, kept only when a payloads file is written.
        var params: [UInt8] = []
        var errors: [RowError] = []
        var skipReason = ""
        /// The record itself, kept for invalid rows (the rejects file) and when `--show` needs payloads.
        var record: CSVRecord?
        /// The first value of the row that looks garbled by a wrong decoding.
        var mojibake: MojibakeTally.Finding?
    }

    /// What the workers build and keep of each row.
    struct Settings {
        var keepsPayloads: Bool
        /// Keep valid rows' records too, for `--show`.
        var keepsValidRecords: Bool
    }

    private(set) var verdicts: [Verdict] = []

    /// Maps every record. Records are let go here, on the thread that read them, except those the fold needs.
    init(mapping records: [CSVRecord], with mapper: RowMapper, settings: Settings) {
        verdicts.reserveCapacity(records.count)
        var values: [FieldValue?] = []
        var json = JSONWriter()
        for record in records {
            let mojibake = MojibakeTally.Finding.first(in: record)
            let (row, key) = mapper.mapWithKey(record, values: &values, json: &json)
            switch row {
            case .payload(let payload):
                var verdict = Verdict(
                    outcome: .valid, row: payload.row, line: payload.line, keyHash: key.map(DuplicateDetector.hash))
                if settings.keepsPayloads { verdict.params = payload.params }
                if settings.keepsValidRecords { verdict.record = record }
                verdict.mojibake = mojibake
                verdicts.append(verdict)
            case .invalid(let row, let line, let errors):
                verdicts.append(
                    Verdict(
                        outcome: .invalid, row: row, line: line, errors: errors, record: record, mojibake: mojibake))
            case .skipped(let row, let line, let reason):
                verdicts.append(
                    Verdict(outcome: .skipped, row: row, line: line, skipReason: reason, mojibake: mojibake))
            }
        }
    }
}
