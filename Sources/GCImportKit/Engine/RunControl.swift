import Foundation
import Synchronization

/// Why a run stopped before the end of the file.
package enum StopReason: Sendable, Equatable {
    /// Ctrl-C or SIGTERM.
    case interrupted
    /// The service refused the run (bad key, allowance used up…).
    case refused(ServiceRefusal)
    /// The ledger could not be written (disk full…): nothing more may be sent, or it would not be recorded.
    case ledgerFailed(String)
    /// The input could not be read any further.
    case inputFailed(String)
}

/// The run's stop switch, shared by the producer, the workers, the limiter and the signal handler.
///
/// Waits go through it so that a stop wakes every sleeper at once (a worker waiting out a 60-second
/// `Retry-After` must not hold up a Ctrl-C).
package final class RunControl: Sendable {
    private let reason = Mutex<StopReason?>(nil)
    private let handlers = Mutex<[@Sendable () -> Void]>([])
    /// Guards nothing but the wake-ups; the state itself sits in `reason`.
    private let wakeUp = ConditionBox()

    package init() {}

    /// The first reason given wins; later ones are ignored (a refusal seen by two workers is one stop).
    package func stop(_ why: StopReason) {
        let first = reason.withLock { current -> Bool in
            guard current == nil else { return false }
            current = why
            return true
        }
        guard first else { return }
        wakeUp.broadcast()
        for handler in handlers.withLock({ $0 }) { handler() }
    }

    /// Runs `handler` when the run stops (at once if it already has). A handler registered while the
    /// run is stopping may run twice, so handlers must be idempotent.
    func onStop(_ handler: @escaping @Sendable () -> Void) {
        handlers.withLock { $0.append(handler) }
        if isStopping { handler() }
    }

    var stopReason: StopReason? { reason.withLock { $0 } }
    var isStopping: Bool { stopReason != nil }

    /// Sleeps until the monotonic instant, or until the run stops. True when the time came; false on stop.
    @available(*, noasync, message: "blocks its thread")
    func sleep(until instant: UInt64) -> Bool {
        while true {
            if isStopping { return false }
            let now = Monotonic.now()
            if now >= instant { return true }
            wakeUp.wait(seconds: Monotonic.seconds(instant - now)) { self.isStopping }
        }
    }

    /// Sleeps for `seconds` unless the run stops first.
    @available(*, noasync, message: "blocks its thread")
    func sleep(seconds: Double) -> Bool {
        sleep(until: Monotonic.now() + Monotonic.nanos(seconds))
    }
}

/// An `NSCondition` used only to wake sleepers; the predicate is re-checked under its lock so a broadcast
/// cannot slip between the check and the wait.
final class ConditionBox: Sendable {
    // NSCondition is thread-safe by design (it is a lock); corelibs Foundation marks it Sendable.
    private let condition = NSCondition()

    func broadcast() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    func wait(seconds: Double, unless done: () -> Bool) {
        condition.lock()
        if !done() { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
        condition.unlock()
    }
}
