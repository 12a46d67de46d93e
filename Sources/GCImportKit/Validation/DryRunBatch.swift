// The dry run's unit of parallel work: a run of consecutive records, mapped on a worker thread while the
// reading thread goes on; the reading thread then folds the verdicts into the report in file order.
import CSVReader
import Dispatch

/// Consecutive records and, once `map` has run, one verdict per record. Handed from the reading thread to
/// one worker and back, never used by two threads at a time: the semaphore orders the hand-back.
final class DryRunBatch: @unchecked Sendable {
    /// The verdict on one record, flattened so the reading thread reads plain values: binding the payload
    /// out of a `MappedRow` there retained (atomically) objects a worker had just created.
    struct Verdict {
        enum Outcome { case valid, invalid, skipped }
        var outcome: Outcome
        var row: Int
        var line: Int
        /// Hash of the normalised natural key of a valid row, for the duplicate filter.
        var keyHash: UInt64?
        /// Bytes of the form body the run would send for it (0 when bodies are not built).
        var bodyBytes = 0
        /// The payload JSON, kept only when a payloads file is written.
        var params: [UInt8] = []
        var errors: [RowError] = []
        var skipReason = ""
    }

    /// What the workers build and keep of each payload.
    struct Settings {
        var encodeBodies: Bool
        var keepsPayloads: Bool
    }

    private(set) var records: [CSVRecord] = []
    private(set) var verdicts: [Verdict] = []
    private let mapped = DispatchSemaphore(value: 0)

    init(capacity: Int) { records.reserveCapacity(capacity) }

    func append(_ record: CSVRecord) { records.append(record) }

    /// Maps every record; the form bodies are built (into one buffer per batch) only when asked.
    func map(with mapper: RowMapper, settings: Settings) {
        verdicts.reserveCapacity(records.count)
        var body: [UInt8] = []
        for record in records {
            let (row, key) = mapper.mapWithKey(record)
            switch row {
            case .payload(let payload):
                var verdict = Verdict(
                    outcome: .valid, row: payload.row, line: payload.line, keyHash: key.map(DuplicateDetector.hash))
                if settings.encodeBodies {
                    FormBody.encode(action: payload.kind.action, key: "", params: payload.params, into: &body)
                    verdict.bodyBytes = body.count
                }
                if settings.keepsPayloads { verdict.params = payload.params }
                verdicts.append(verdict)
            case .invalid(let row, let line, let errors):
                verdicts.append(Verdict(outcome: .invalid, row: row, line: line, errors: errors))
            case .skipped(let row, let line, let reason):
                verdicts.append(Verdict(outcome: .skipped, row: row, line: line, skipReason: reason))
            }
        }
    }

    /// `map` on `queue`; `waitUntilMapped` returns once it is done.
    func mapAsync(on queue: DispatchQueue, with mapper: RowMapper, settings: Settings) {
        queue.async {
            self.map(with: mapper, settings: settings)
            self.mapped.signal()
        }
    }

    func waitUntilMapped() { mapped.wait() }

    /// Frees the records and verdicts on `queue`, so the reading thread does not spend its time on it.
    func discardAsync(on queue: DispatchQueue) {
        queue.async {
            self.records = []
            self.verdicts = []
        }
    }
}
