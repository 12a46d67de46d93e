import Dispatch
import Foundation

/// One `run` or `retry`: a producer thread feeding `workers` serial queues through a bounded queue, one
/// shared limiter, one HTTP client, one ledger. Blocks until every row is settled or the run stops.
package final class ImportRun: Sendable {
    private let configuration: RunConfiguration
    private let source: RowSource
    private let prior: LedgerSnapshot?
    private let ledger: RunLedger
    private let client: ImportClient
    private let control: RunControl
    private let total: RowTotal
    private let tally = RowTally()
    private let key: APIKey?
    private let limiter: TokenBucket
    private let adaptive: AdaptiveRate?

    /// - Parameters:
    ///   - prior: the ledger as it was before this run (nil for a new ledger).
    ///   - writer: the ledger, opened for appending, its `run` record already written.
    init(
        configuration: RunConfiguration, source: RowSource, prior: LedgerSnapshot?, writer: LedgerWriter,
        key: APIKey?, client: ImportClient, control: RunControl, total: RowTotal
    ) {
        self.configuration = configuration
        self.source = source
        self.prior = prior
        self.ledger = RunLedger(writer: writer, key: key)
        self.key = key
        self.client = client
        self.control = control
        self.total = total
        let limiter = TokenBucket(configuration.rate)
        self.limiter = limiter
        adaptive = configuration.rate.adaptive.map { AdaptiveRate(range: $0, bucket: limiter) }
    }

    /// Live figures for a progress display.
    var liveCounts: RowCounts { tally.counts }
    /// Rows finished by calls of this run, for the rate.
    var liveSentThisRun: Int { tally.sentThisRun }
    /// Under `--rate auto`, the calls a second now in force.
    var liveAdaptiveRate: Double? { adaptive?.perSecond }

    @available(*, noasync, message: "blocks until the run ends; call it from a thread of its own")
    func run() -> RunSummary {
        let started = Monotonic.now()
        let queue = WorkQueue(capacity: configuration.queueCapacity, retryCapacity: configuration.retryCapacity)
        control.onStop { queue.stop() }
        let context = WorkerContext(
            client: client, limiter: limiter, adaptive: adaptive, queue: queue, ledger: ledger, tally: tally,
            control: control, maxAttempts: max(1, configuration.maxAttempts),
            maxPushbacks: max(1, configuration.maxPushbacks), backoff: configuration.backoff,
            logger: configuration.logger, key: key, callErrorStreak: CallErrorStreak())
        let group = DispatchGroup()
        // One serial queue per worker: a single concurrent queue starved blocking work on Linux (BENCHMARKS.md,
        // "Design choices, measured").
        for index in 0..<max(1, configuration.workers) {
            group.enter()
            DispatchQueue(label: "gcimport.worker.\(index)").async {
                ImportWorker(context: context).run()
                group.leave()
            }
        }
        let producer = RowProducer(
            source: source, selection: configuration.selection, prior: prior, ledger: ledger, queue: queue,
            tally: tally, control: control, ordered: configuration.ordersSameKeyRows)
        let produced = ProducedBox()
        group.enter()
        DispatchQueue(label: "gcimport.producer").async {
            produced.value = producer.run()
            group.leave()
        }
        group.wait()
        return finish(queue: queue, produced: produced.value, started: started)
    }

    /// Settles the rows the run did not finish, closes the ledger and checks that every row is counted once.
    private func finish(queue: WorkQueue, produced: RowProducer.Progress, started: UInt64) -> RunSummary {
        var counts = tally.counts
        for item in queue.unfinished() { counts.add(item.ledgerState) }
        var rows = produced.rowsRead
        if !produced.finished, let fileRows = total.wait() {
            // Rows after the last one read keep the state the ledger already had for them.
            if fileRows > produced.lastRow {
                for row in (produced.lastRow + 1)...fileRows { counts.add(prior?.state(ofRow: row)) }
            }
            rows = max(rows, fileRows)
        }
        var problems: [String] = []
        if counts.total != rows {
            problems.append(
                "internal error: \(counts.total) rows counted in states but \(rows) data rows read; "
                    + "the ledger is the reference (gcimport report)")
        }
        do {
            try ledger.sync()
            try ledger.close()
        } catch {
            problems.append("the ledger could not be saved: \(error)")
            control.stop(.ledgerFailed("\(error)"))
        }
        let elapsed = Monotonic.seconds(Monotonic.now() - started)
        var summary = RunSummary(
            rows: rows, counts: counts, elapsedSeconds: elapsed, sentThisRun: tally.sentThisRun, calls: tally.calls,
            stopReason: control.stopReason, problems: problems)
        summary.adaptiveRate = adaptive?.perSecond
        return summary
    }
}

/// The producer's result, written by its thread before `group.leave()` and read after `group.wait()`.
private final class ProducedBox: @unchecked Sendable {
    // @unchecked: one write on the producer thread happens-before the read, through the DispatchGroup.
    var value = RowProducer.Progress()
}
