import Foundation

/// Wires one run together: client, limiter, workers, progress line, signal handling. The commands call it
/// with what they parsed and print the summary it returns.
package enum ImportDriver {
    /// Runs the import and returns its summary; the ledger is closed when it returns.
    ///
    /// With `quit`, the first Ctrl-C or SIGTERM stops taking rows and lets the calls in flight finish; the
    /// second syncs the ledger and calls `quit`, which the command layer makes end the process at once (every
    /// ledger line is written whole, so the ledger stays readable). Without it signals are left alone.
    @available(*, noasync, message: "blocks until the run ends; call it from a thread of its own")
    package static func execute(
        opened: OpenedRun, target: ImportTarget, key: APIKey, configuration: RunConfiguration,
        progress style: ProgressReporter.Style, quit: (@Sendable () -> Never)?, control: RunControl = RunControl()
    ) -> RunSummary {
        let client = ImportClient(
            target: target, key: key,
            configuration: ImportClientConfiguration(
                connections: configuration.workers, timeout: configuration.timeout,
                connectTimeout: min(10, configuration.timeout)))
        defer { client.shutdown() }
        let total = RowTotal(countingPath: opened.source.inputPath, options: opened.readerOptions)
        let run = ImportRun(
            configuration: configuration, source: opened.source, prior: opened.prior, writer: opened.writer,
            key: key, client: client, control: control, total: total)
        let reporter = ProgressReporter(style: style, total: total) {
            ProgressReporter.Sample(
                counts: run.liveCounts, sentThisRun: run.liveSentThisRun, adaptiveRate: run.liveAdaptiveRate)
        }
        let writer = opened.writer
        let trap = quit.map { quit in
            SignalTrap(
                first: { _ in
                    if style != .quiet {
                        ProgressReporter.write(
                            "\ngcimport: stopping: finishing the calls in flight and saving the ledger "
                                + "(press Ctrl-C again to quit at once)\n")
                    }
                    control.stop(.interrupted)
                },
                second: { _ in
                    try? writer.sync()
                    quit()
                })
        }
        defer { trap?.cancel() }
        reporter.start()
        let summary = run.run()
        reporter.stop()
        return summary
    }
}
