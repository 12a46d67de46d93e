import ArgumentParser
import Foundation
import GCImportKit

extension GCImportCommand {
    /// `gcimport retry`: sends again only the rows a ledger shows as failed (and rejected, when asked).
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Send again the rows a ledger shows as failed or missing (and rejected ones with --rejected).",
            discussion: """
                Failed rows are those a transient failure outlasted, and the unknown rows `gcimport verify` did \
                not find in the account; missing rows are ok rows verify did not find. \
                The input file, the mapping and the target are read from the ledger's header; the run is refused \
                if the input or the mapping changed since. Fix rejected rows in the source first (see `gcimport \
                failed`), or retry them as they are with --rejected when the cause was on GetCourse's side (a \
                missing group or offer that now exists). Exit status as for `run`.
                """)

        @Option(help: ArgumentHelp("The ledger of the run to retry.", valueName: "path"))
        var ledger: String

        @Flag(help: "Also send the rows GetCourse rejected.")
        var rejected = false

        @OptionGroup var send: SendOptions

        func run() async throws {
            do {
                try await perform()
            } catch let failure as CommandFailure {
                throw failure.report()
            }
        }

        private func perform() async throws {
            let console = Console(quiet: send.quiet)
            let (header, resolved) = try await TargetResolution.resolve(ledger: ledger, keyFile: send.keyFile)
            var states: Set<RowState> = [.failed, .missing]
            if rejected { states.insert(.rejected) }
            var options = send.recorded
            options["states"] = states.map(\.rawValue).sorted().joined(separator: ",")
            let request = RunRequest(
                inputPath: header.input.path, mappingPath: header.mapping.path, ledgerPath: ledger,
                target: resolved.target, newLedger: false, command: "retry", options: options)
            let configuration = try send.configuration(
                selection: .retry(states: states), sandbox: resolved.sandbox != nil)
            let summary = try await resolved.shuttingDown {
                try await RunPresenter(console: console, json: send.json).execute(
                    request: request, resolved: resolved, configuration: configuration, preflight: nil)
            }
            var next = ["Report: gcimport report --ledger \(Console.quote(ledger))"]
            if summary.counts.needingAttention > 0 {
                next.append(
                    "Rows to fix (\(summary.counts.needingAttention)): gcimport failed --ledger \(Console.quote(ledger)) "
                        + "-o needs-attention.csv")
            }
            console.closing(summary: summary, ledgerPath: ledger, json: send.json, next: next)
            throw RunPresenter.exitCode(for: summary)
        }
    }
}
