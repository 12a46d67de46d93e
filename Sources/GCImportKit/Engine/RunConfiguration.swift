package import Logging

/// How `run` and `retry` send, built once from the command line.
package struct RunConfiguration: Sendable {
    /// Parallel calls; each worker is one serial DispatchQueue with one connection (`--workers`).
    package var workers: Int = 4
    /// The shared limit on call starts (`--rate`, `--burst`).
    package var rate: RateLimit = .default
    /// Attempts per row and run for transient failures (`--max-attempts`).
    package var maxAttempts: Int = 5
    /// Pushbacks (429…) one row may meet before it is given up as failed.
    var maxPushbacks: Int = 50
    /// Waits between attempts.
    package var backoff = Backoff()
    /// Seconds to wait for an answer (`--timeout`).
    package var timeout: Double = 30
    /// Rows sharing a key (the same user or order) go out one at a time in file order, so GetCourse ends
    /// with the last row's values. Off only to measure what the ordering costs.
    package var ordersSameKeyRows = true
    /// Which rows to send given the ledger.
    package var selection: RowSelection = .resume(resendUnknown: false)
    /// Per-call diagnostics (debug: every call; info: pushbacks and retries). Silent unless the command
    /// asks for it with `--log-level`; the key never reaches it (answers are redacted first).
    package var logger = Logger(label: "gcimport.run", factory: { _ in SwiftLogNoOpLogHandler() })

    package init() {}

    /// Call-level errors in a row (with no other answer between) after which the run stops.
    static let callErrorStreakLimit = 10

    /// Fresh rows waiting for a worker: enough to keep every worker busy, small enough to be constant.
    var queueCapacity: Int { max(16, workers * 4) }
    /// Rows waiting for a retry before the reader pauses.
    var retryCapacity: Int { max(64, workers * 8) }
}
