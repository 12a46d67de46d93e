import Logging
import Synchronization

/// What every worker shares.
struct WorkerContext: Sendable {
    let client: ImportClient
    let limiter: TokenBucket
    /// Under `--rate auto`, what moves the limiter's rate.
    let adaptive: AdaptiveRate?
    let queue: WorkQueue
    let ledger: RunLedger
    let tally: RowTally
    let control: RunControl
    let maxAttempts: Int
    /// Pushbacks (429…) a single row may meet before it is given up as failed; they do not use up
    /// `maxAttempts`, since the row itself is fine, but they are bounded so no loop runs forever.
    let maxPushbacks: Int
    let backoff: Backoff
    let logger: Logger
    let key: APIKey?
    /// Call-level errors in a row, across workers (reset by any other answer).
    let callErrorStreak: CallErrorStreak
}

/// Counts call-level errors in a row across all workers.
final class CallErrorStreak: Sendable {
    private let count = Mutex(0)

    /// Records one answer and returns the length of the streak it ends or extends.
    func record(_ result: CallResult) -> Int {
        count.withLock {
            $0 = result.isCallLevelError ? $0 + 1 : 0
            return $0
        }
    }
}

/// One worker: takes rows from the queue and sends them, one at a time, on its own serial queue.
struct ImportWorker: Sendable {
    let context: WorkerContext

    @available(*, noasync, message: "blocks its thread; run it on its own serial DispatchQueue")
    func run() {
        while let item = context.queue.take() {
            process(item)
        }
    }

    @available(*, noasync, message: "blocks its thread")
    func process(_ taken: WorkItem) {
        var item = taken
        guard context.limiter.acquire(control: context.control) else {
            context.queue.abandon(item)
            return
        }
        let attempt = item.nextAttempt
        do {
            try context.ledger.sent(item.payload, attempt: attempt, rate: context.adaptive?.perSecond)
        } catch {
            context.control.stop(.ledgerFailed(error.description))
            context.queue.abandon(item)
            return
        }
        item.ledgerState = .sent
        let result = context.client.send(item.payload)
        context.tally.countCall()
        log(result, item: item, attempt: attempt)
        if let adaptive = context.adaptive, let signal = AdaptiveRate.Signal(result) { adaptive.record(signal) }
        let streak = context.callErrorStreak.record(result)
        do {
            try settle(&item, result: result, attempt: attempt)
            if streak >= RunConfiguration.callErrorStreakLimit, case .rejected(let message) = result.outcome {
                context.control.stop(
                    .refused(ServiceRefusal(reason: .repeatedCallError, serviceMessage: redact(message))))
            }
        } catch {
            context.control.stop(.ledgerFailed(error.description))
            context.tally.add(item.ledgerState)
            context.queue.complete(item)
        }
    }

    /// Records the outcome and either finishes the row or schedules its retry.
    private func settle(_ item: inout WorkItem, result: CallResult, attempt: Int) throws(LedgerError) {
        let ledger = context.ledger
        let status = result.httpStatus
        switch result.outcome {
        case .ok(let userID, let dealID, let dealNumber):
            try ledger.outcome(
                item.payload, state: .ok, attempt: attempt, httpStatus: status, userID: userID, dealID: dealID,
                dealNumber: dealNumber, userStatus: result.userStatus, paymentLink: result.paymentLink)
            finish(item, as: .ok)
        case .rejected(let message):
            try ledger.outcome(item.payload, state: .rejected, attempt: attempt, httpStatus: status, error: message)
            finish(item, as: .rejected)
        case .failed(let message, let retryAfter, let isPushback):
            try ledger.outcome(item.payload, state: .failed, attempt: attempt, httpStatus: status, error: message)
            item.ledgerState = .failed
            let now = Monotonic.now()
            if isPushback {
                item.pushbacks += 1
                let pause = context.backoff.pause(afterPushback: item.pushbacks, retryAfter: retryAfter)
                context.limiter.pause(until: now + Monotonic.nanos(pause))
                context.logger.info(
                    "the service pushed back; every worker pauses",
                    metadata: ["pause.seconds": "\(pause)", "row.number": "\(item.payload.row)"])
            } else {
                item.tries += 1
            }
            guard item.tries < context.maxAttempts, item.pushbacks < context.maxPushbacks else {
                finish(item, as: .failed)
                return
            }
            let delay = isPushback ? 0 : context.backoff.delay(afterAttempt: item.tries, retryAfter: retryAfter)
            context.queue.complete(item, retryAt: now + Monotonic.nanos(delay))
        case .unknown(let message):
            try ledger.outcome(item.payload, state: .unknown, attempt: attempt, httpStatus: status, error: message)
            item.ledgerState = .unknown
            item.tries += 1
            // Sending again is only safe when the call is idempotent; otherwise the row stays unknown.
            guard item.payload.isIdempotent, item.tries < context.maxAttempts else {
                finish(item, as: .unknown)
                return
            }
            let delay = context.backoff.delay(afterAttempt: item.tries, retryAfter: nil)
            context.queue.complete(item, retryAt: Monotonic.now() + Monotonic.nanos(delay))
        case .fatal(let refusal):
            let state: RowState = refusal.rowMayBeApplied ? .unknown : .failed
            try ledger.outcome(
                item.payload, state: state, attempt: attempt, httpStatus: status,
                error: "run stopped: \(refusal.serviceMessage)")
            context.control.stop(.refused(refusal))
            finish(item, as: state)
        }
    }

    private func log(_ result: CallResult, item: WorkItem, attempt: Int) {
        var metadata: Logger.Metadata = [
            "row.number": "\(item.payload.row)", "row.line": "\(item.payload.line)", "call.attempt": "\(attempt)",
        ]
        if let status = result.httpStatus { metadata["http.status"] = "\(status)" }
        let outcome: String
        switch result.outcome {
        case .ok: outcome = "ok"
        case .rejected(let message): (outcome, metadata["call.error"]) = ("rejected", "\(redact(message))")
        case .failed(let message, _, _): (outcome, metadata["call.error"]) = ("failed", "\(redact(message))")
        case .unknown(let message): (outcome, metadata["call.error"]) = ("unknown", "\(redact(message))")
        case .fatal(let refusal): (outcome, metadata["call.error"]) = ("refused", "\(redact(refusal.serviceMessage))")
        }
        metadata["call.outcome"] = "\(outcome)"
        context.logger.debug("call", metadata: metadata)
    }

    private func redact(_ text: String) -> String {
        context.key?.redact(text) ?? text
    }

    private func finish(_ item: WorkItem, as state: RowState) {
        context.tally.add(state, sentThisRun: true)
        context.queue.complete(item)
    }
}
