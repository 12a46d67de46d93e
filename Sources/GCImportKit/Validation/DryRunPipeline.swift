// Several threads each read a batch of records (one at a time, under a lock) and work on it; the calling
// thread folds the results in file order. A thread works on the records it read: handing records from one
// reading thread to mapping threads cost a third more time (every string crossed cores, and was freed on
// another core than the one that made it).
import CSVReader
import Dispatch
import Foundation

/// What one worker made of one batch, and whether reading stopped on an error after it.
struct PipelineBatch<Output> {
    var output: Output
    var readError: (any Error)?
}

/// Where a pass takes its records from: the CSV reader, or in tests a source that fails on cue.
protocol RecordSource: AnyObject, SendableMetatype {
    func next() throws -> CSVRecord?
    /// Appends at most `rows` rows to `batch`, fewer once it holds `bytes` bytes, none past `lastRow`;
    /// returns whether the input ended. Rows read before an error stay in `batch`.
    func fill(_ batch: inout RowBatch, rows: Int, bytes: Int, lastRow: Int) throws -> Bool
}

extension RecordSource {
    /// Record by record, for sources that only have records.
    func fill(_ batch: inout RowBatch, rows: Int, bytes: Int, lastRow: Int) throws -> Bool {
        while batch.count < rows && batch.byteCount < bytes {
            guard let record = try next(), record.row <= lastRow else { return true }
            batch.append(record)
        }
        return false
    }
}

extension CSVFileReader: RecordSource {
    /// The reader's own batches: each clean row is one copy of its bytes, no `String` per cell.
    func fill(_ batch: inout RowBatch, rows: Int, bytes: Int, lastRow: Int) throws -> Bool {
        try readBatch(into: &batch, rows: rows, bytes: bytes, lastRow: lastRow)
    }
}

/// The shared state of one parallel pass over a file.
final class DryRunPipeline<Source: RecordSource, Output>: @unchecked Sendable {
    private let reader: Source
    private let batchSize: Int
    /// Rows after this one are not read (the duplicates' second pass stops at the last candidate).
    private let lastRow: Int
    /// Serialises `reader`, `nextSequence` and `inputEnded`: libcsv's parser is one state machine.
    private let readLock = NSLock()
    private var nextSequence = 0
    private var inputEnded = false
    /// Guards everything below; broadcast whenever a batch arrives, is folded, or the input ends.
    private let state = NSCondition()
    private var done: [Int: PipelineBatch<Output>] = [:]
    /// The sequence number one past the last batch, once known.
    private var endSequence: Int?
    private var nextToFold = 0
    /// Batches read but not yet folded, at most `window`: memory stays flat whatever the file's size.
    private var outstanding = 0
    private let window: Int
    private var stopped = false
    private let workers = DispatchGroup()

    init(reader: Source, batchSize: Int, workers: Int, lastRow: Int = .max) {
        self.reader = reader
        self.batchSize = batchSize
        self.lastRow = lastRow
        // Two batches per worker keep every worker busy while the oldest waits to be folded.
        window = 2 * workers + 1
    }

    /// Starts one worker per entry of `work`, each on a serial queue of its own. Those get a thread each:
    /// on a concurrent queue Dispatch ran one worker at a time beside the folding thread, which it counts as
    /// busy (it is a pool thread itself, blocked on the condition).
    func start(_ work: [@Sendable (RowBatch) -> Output]) {
        for (index, body) in work.enumerated() {
            DispatchQueue(label: "gcimport.dry-run.\(index)").async(group: workers) { self.run(body) }
        }
    }

    private func run(_ body: (RowBatch) -> Output) {
        var records = RowBatch()
        while true {
            state.lock()
            while outstanding >= window && !stopped { state.wait() }
            if stopped {
                state.unlock()
                return
            }
            outstanding += 1
            state.unlock()
            guard let (sequence, readError) = readBatch(into: &records) else {
                folded()  // the slot taken for a batch that was not there
                return
            }
            let batch = PipelineBatch(output: body(records), readError: readError)
            state.lock()
            done[sequence] = batch
            state.broadcast()
            state.unlock()
        }
    }

    /// Reads the next records into `records`; returns their sequence number, or nil at the end of the input.
    private func readBatch(into records: inout RowBatch) -> (Int, (any Error)?)? {
        readLock.lock()
        defer { readLock.unlock() }
        guard !inputEnded else { return nil }
        let (ended, readError) = Self.readRecords(from: reader, into: &records, batchSize: batchSize, lastRow: lastRow)
        inputEnded = ended
        if records.isEmpty && readError == nil {
            markEnd(at: nextSequence)
            return nil
        }
        let sequence = nextSequence
        nextSequence += 1
        if inputEnded { markEnd(at: nextSequence) }
        return (sequence, readError)
    }

    /// Replaces `records` with up to `batchSize` records, fewer when they hold more than 4 MiB of text (a file
    /// of huge cells must not hold a window of full batches of them); returns whether the input ended: end of
    /// file, `lastRow`, or a read error. The records read before an error stay, so they are folded before the
    /// error stops the pass: the rejects and payloads files then hold every row up to the failure.
    private static func readRecords(
        from reader: Source, into records: inout RowBatch, batchSize: Int, lastRow: Int
    ) -> (ended: Bool, error: (any Error)?) {
        records.removeAll()
        do {
            return (try reader.fill(&records, rows: batchSize, bytes: 4 << 20, lastRow: lastRow), nil)
        } catch {
            return (true, error)
        }
    }

    private func markEnd(at sequence: Int) {
        state.lock()
        endSequence = sequence
        state.broadcast()
        state.unlock()
    }

    /// The next batch in file order, waiting for it; nil when every batch has been handed out.
    func nextInOrder() -> PipelineBatch<Output>? {
        state.lock()
        defer { state.unlock() }
        while true {
            if let batch = done.removeValue(forKey: nextToFold) {
                nextToFold += 1
                return batch
            }
            if let end = endSequence, nextToFold >= end { return nil }
            state.wait()
        }
    }

    /// The caller is done with a batch: a worker may read another.
    func folded() {
        state.lock()
        outstanding -= 1
        state.broadcast()
        state.unlock()
    }

    /// Stops the workers after the batch each is on, and waits for them (on error, or at the end).
    func finish() {
        state.lock()
        stopped = true
        state.broadcast()
        state.unlock()
        workers.wait()
    }

    /// Runs `work` over every batch of `reader` on one worker per entry of `work` (inline when there is one
    /// entry) and hands each result to `fold` in file order; a read error is thrown once every record read
    /// before it was folded.
    static func each(
        of reader: Source, batchSize: Int, lastRow: Int = .max, work: [@Sendable (RowBatch) -> Output],
        fold: (Output) throws -> Void
    ) throws {
        guard work.count > 1 else {
            guard let body = work.first else { return }
            // One thread: read, work and fold in turn, without the pipeline's threads.
            var records = RowBatch()
            while true {
                let (ended, error) = readRecords(from: reader, into: &records, batchSize: batchSize, lastRow: lastRow)
                if !records.isEmpty { try fold(body(records)) }
                if let error { throw error }
                if ended { return }
            }
        }
        let pipeline = DryRunPipeline(reader: reader, batchSize: batchSize, workers: work.count, lastRow: lastRow)
        pipeline.start(work)
        // No worker may outlive the pass, whether it ends or fails.
        defer { pipeline.finish() }
        while let batch = pipeline.nextInOrder() {
            try fold(batch.output)
            pipeline.folded()
            if let error = batch.readError { throw error }
        }
    }
}
