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
            "Calls per second, minute or hour for all workers together: 5/s, 300/m, 10000/h, none, or auto "
                + "(default 5/s; 50/s with --sandbox). auto starts at 5/s and finds the account's limit: faster "
                + "while answers are clean, slower on 429, Retry-After or a burst of 5xx and timeouts, never "
                + "above --max-rate.",
            valueName: "n/unit"))
    var rate: String?

    @Option(
        name: .customLong("max-rate"),
        help: ArgumentHelp(
            "The ceiling of --rate auto, in the same units (default 30/s; 500/s with --sandbox).",
            valueName: "n/unit"))
    var maxRate: String?

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
        if let maxRate {
            guard rate?.lowercased() == "auto" else {
                throw ValidationError("--max-rate only applies with --rate auto")
            }
            guard let ceiling = try? RateLimit.parse(maxRate), ceiling.perSecond != nil else {
                throw ValidationError("--max-rate \(maxRate): expected a count per second, minute or hour, like 40/s")
            }
        }
    }

    /// The engine configuration these options describe. Without `--rate` the real service gets 5/s and the
    /// sandbox 50/s, where a rehearsal of a sample should take seconds, not minutes; `--rate auto` searches up
    /// to 30/s on the real service and 500/s on the sandbox unless `--max-rate` says otherwise.
    func configuration(selection: RowSelection, sandbox: Bool) throws -> RunConfiguration {
        var configuration = RunConfiguration()
        configuration.workers = workers
        let ceiling = try RateLimit.parse(maxRate ?? (sandbox ? "500/s" : "30/s")).perSecond ?? 30
        configuration.rate = try RateLimit.parse(rate ?? (sandbox ? "50/s" : "5/s"), burst: burst, ceiling: ceiling)
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
        if let maxRate { options["max_rate"] = maxRate }
        if let keyFile { options["key_file"] = keyFile }
        return options
    }
}
