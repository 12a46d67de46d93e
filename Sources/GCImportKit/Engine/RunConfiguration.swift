public import Logging

/// How `run` and `retry` send, built once from the command line.
public struct RunConfiguration: Sendable {
    /// Parallel calls; each worker is one serial DispatchQueue with one connection (`--workers`).
    public var workers: Int = 4
    /// The shared limit on call starts (`--rate`, `--burst`).
    public var rate: RateLimit = .default
    /// Attempts per row and run for transient failures (`--max-attempts`).
    public var maxAttempts: Int = 5
    /// Pushbacks (429…) one row may meet before it is given up as failed.
    public var maxPushbacks: Int = 50
    /// Waits between attempts.
    public var backoff = Backoff()
    /// Seconds to wait for an answer (`--timeout`).
    public var timeout: Double = 30
    /// Rows sharing a key (the same user or order) go out one at a time in file order, so GetCourse ends
    /// with the last row's values. Off only to measure what the ordering costs.
    public var ordersSameKeyRows = true
    /// Which rows to send given the ledger.
    public var selection: RowSelection = .resume(resendUnknown: false)
    /// Per-call diagnostics (debug: every call; info: pushbacks and retries). Silent unless the command
    /// asks for it with `--log-level`; the key never reaches it (answers are redacted first).
    public var logger = Logger(label: "gcimport.run", factory: { _ in SwiftLogNoOpLogHandler() })

    public init() {}

    /// Call-level errors in a row (with no other answer between) after which the run stops.
    public static let callErrorStreakLimit = 10

    /// Fresh rows waiting for a worker: enough to keep every worker busy, small enough to be constant.
    var queueCapacity: Int { max(16, workers * 4) }
    /// Rows waiting for a retry before the reader pauses.
    var retryCapacity: Int { max(64, workers * 8) }
}
