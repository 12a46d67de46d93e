// Several threads each read a batch of records (one at a time, under a lock) and map it; the calling
// thread folds the batches in file order. A thread maps the records it read: handing records from one
// reading thread to mapping threads cost a third more CPU (every string crossed cores, and was freed on
// another core than the one that made it).
import CSVReader
import Dispatch
import Foundation

/// The shared state of one parallel dry run.
final class DryRunPipeline: @unchecked Sendable {
    private let reader: CSVFileReader
    private let batchSize: Int
    /// Serialises `reader`, `nextSequence` and `inputEnded`: libcsv's parser is one state machine.
    private let readLock = NSLock()
    private var nextSequence = 0
    private var inputEnded = false
    /// Guards everything below; broadcast whenever a batch arrives, is folded, or the input ends.
    private let state = NSCondition()
    private var mapped: [Int: DryRunBatch] = [:]
    /// The sequence number one past the last batch, once known.
    private var endSequence: Int?
    private var nextToFold = 0
    /// Batches read but not yet folded, at most `window`: memory stays flat whatever the file's size.
    private var outstanding = 0
    private let window: Int
    private var stopped = false
    private let workers = DispatchGroup()

    init(reader: CSVFileReader, batchSize: Int, workers: Int) {
        self.reader = reader
        self.batchSize = batchSize
        // Two batches per worker keep every worker busy while the oldest waits to be folded.
        window = 2 * workers + 1
    }

    /// Starts one worker per mapper, each on a serial queue of its own. Those get a thread each: on a
    /// concurrent queue Dispatch ran one worker at a time beside the folding thread, which it counts as busy
    /// (it is a pool thread itself, blocked on the condition).
    func start(mappers: [RowMapper], settings: DryRunBatch.Settings) {
        for (index, mapper) in mappers.enumerated() {
            DispatchQueue(label: "gcimport.dry-run.\(index)").async(group: workers) {
                self.work(mapper: mapper, settings: settings)
            }
        }
    }

    private func work(mapper: RowMapper, settings: DryRunBatch.Settings) {
        while true {
            state.lock()
            while outstanding >= window && !stopped { state.wait() }
            if stopped {
                state.unlock()
                return
            }
            outstanding += 1
            state.unlock()
            guard let (batch, records) = readBatch() else {
                folded()  // the slot taken for a batch that was not there
                return
            }
            batch.map(records, with: mapper, settings: settings)
            state.lock()
            mapped[batch.sequence] = batch
            state.broadcast()
            state.unlock()
        }
    }

    /// The next batch of records with its sequence number, or nil at the end of the input (or once stopped).
    private func readBatch() -> (DryRunBatch, [CSVRecord])? {
        readLock.lock()
        defer { readLock.unlock() }
        guard !inputEnded else { return nil }
        let batch = DryRunBatch(sequence: nextSequence)
        var records: [CSVRecord] = []
        records.reserveCapacity(batchSize)
        do {
            while records.count < batchSize, let record = try reader.next() { records.append(record) }
        } catch {
            batch.readError = error
            inputEnded = true
        }
        if records.isEmpty && batch.readError == nil {
            inputEnded = true
            markEnd(at: nextSequence)
            return nil
        }
        nextSequence += 1
        if batch.readError != nil { markEnd(at: nextSequence) }
        return (batch, records)
    }

    private func markEnd(at sequence: Int) {
        state.lock()
        endSequence = sequence
        state.broadcast()
        state.unlock()
    }

    /// The next batch in file order, waiting for it to be mapped; nil when every batch has been handed out.
    func nextInOrder() -> DryRunBatch? {
        state.lock()
        defer { state.unlock() }
        while true {
            if let batch = mapped.removeValue(forKey: nextToFold) {
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

    /// Stops the workers after the batch each is mapping, and waits for them (on error, or at the end).
    func finish() {
        state.lock()
        stopped = true
        state.broadcast()
        state.unlock()
        workers.wait()
    }
}
