import ArgumentParser
import GCImportKit
import Logging

/// The options `run` and `retry` share: how to send, and how to show it.
struct SendOptions: ParsableArguments {
    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp(
            "A file holding the API key (default: the GETCOURSE_API_KEY environment variable).", valueName: "file"))
    var keyFile: String?

    @Option(help: "Parallel calls; each worker holds one connection.")
    var workers: Int = 4

    @Option(
        help: ArgumentHelp(
            "Calls per second, minute or hour for all workers together: 5/s, 300/m, 10000/h, or none "
                + "(default 5/s; 50/s with --sandbox).",
            valueName: "n/unit"))
    var rate: String?

    @Option(help: "Calls that may start back to back after a quiet spell.")
    var burst: Int = 1

    @Option(name: .customLong("max-attempts"), help: "Attempts per row for transient failures (5xx, timeouts…).")
    var maxAttempts: Int = 5

    @Option(help: ArgumentHelp("Seconds to wait for an answer.", valueName: "seconds"))
    var timeout: Double = 30

    @Flag(help: "No progress and no messages, only errors (and the --json summary).")
    var quiet = false

    @Flag(help: "Print the final summary as one JSON object on stdout.")
    var json = false

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "Per-call diagnostics on stderr: debug (every call) or info (pushbacks).", valueName: "level"))
    var logLevel: String?

    // Test and benchmark knobs: shorter waits between attempts.
    @Option(name: .customLong("backoff-base"), help: .hidden)
    var backoffBase: Double = 0.5

    @Option(name: .customLong("backoff-cap"), help: .hidden)
    var backoffCap: Double = 30

    func validate() throws {
        guard (1...512).contains(workers) else { throw ValidationError("--workers must be between 1 and 512") }
        guard burst >= 1 else { throw ValidationError("--burst must be at least 1") }
        guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be 1…100") }
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be 0…3600 seconds") }
        guard backoffBase >= 0, backoffCap >= backoffBase else { throw ValidationError("bad backoff settings") }
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level: one of trace, debug, info, notice, warning, error, critical")
        }
        do {
            _ = try RateLimit.parse(rate ?? "5/s", burst: burst)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The engine configuration these options describe.
    /// `defaultRate` applies when `--rate` is not given: the real service's 5/s, or faster for the sandbox,
    /// where a rehearsal of a sample should take seconds, not minutes.
    func configuration(selection: RowSelection, defaultRate: String = "5/s") throws -> RunConfiguration {
        var configuration = RunConfiguration()
        configuration.workers = workers
        configuration.rate = try RateLimit.parse(rate ?? defaultRate, burst: burst)
        configuration.maxAttempts = maxAttempts
        configuration.timeout = timeout
        configuration.backoff = Backoff(base: backoffBase, cap: backoffCap)
        configuration.selection = selection
        if let logLevel, let level = Logger.Level(rawValue: logLevel) {
            var logger = Logger(label: "gcimport.run") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = level
            configuration.logger = logger
        }
        return configuration
    }

    /// The options as the ledger's `run` record shows them (never the key, nor the key file's content).
    var recorded: [String: String] {
        var options = [
            "workers": "\(workers)", "rate": rate ?? "default", "burst": "\(burst)", "max_attempts": "\(maxAttempts)",
            "timeout": "\(timeout)",
        ]
        if let keyFile { options["key_file"] = keyFile }
        return options
    }
}
