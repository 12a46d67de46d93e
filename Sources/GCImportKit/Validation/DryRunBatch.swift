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
    /// The bytes of text the rows held, for the duplicate filter's estimate of the file's rows.
    private(set) var textBytes = 0

    /// Maps every row, on bytes where it can (`RowMapper.mapBytes`); a row the byte path leaves alone is
    /// decoded and mapped through `mapWithKey`, which gives its errors or skip reason.
    init(mapping rows: RowBatch, with mapper: RowMapper, settings: Settings) {
        verdicts.reserveCapacity(rows.count)
        textBytes = rows.byteCount
        var values: [FieldValue?] = []
        var json = JSONWriter()
        var scratch = ByteScratch()
        for index in 0..<rows.count {
            let verdict = rows.withRow(index) { raw -> Verdict? in
                guard let mapped = mapper.mapBytes(raw, scratch: &scratch, json: &json, wantsEmail: false) else {
                    return nil
                }
                var verdict = Verdict(
                    outcome: .valid, row: raw.row, line: raw.line, keyHash: mapped.key.map(DuplicateDetector.hash))
                if settings.keepsPayloads { verdict.params = json.bytes }
                if settings.keepsValidRecords || Mojibake.mayBeSuspect(raw) {
                    let record = raw.record
                    if settings.keepsValidRecords { verdict.record = record }
                    verdict.mojibake = MojibakeTally.Finding.first(in: record)
                }
                return verdict
            }
            if let verdict {
                verdicts.append(verdict)
            } else {
                append(rows.record(at: index), mapper: mapper, settings: settings, values: &values, json: &json)
            }
        }
    }

    /// Maps `record` through the `String` path.
    private mutating func append(
        _ record: CSVRecord, mapper: RowMapper, settings: Settings, values: inout [FieldValue?],
        json: inout JSONWriter
    ) {
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
                Verdict(outcome: .invalid, row: row, line: line, errors: errors, record: record, mojibake: mojibake))
        case .skipped(let row, let line, let reason):
            verdicts.append(Verdict(outcome: .skipped, row: row, line: line, skipReason: reason, mojibake: mojibake))
        }
    }
}
