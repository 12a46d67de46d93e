import ArgumentParser
import Dispatch
import Foundation
import GCImportKit

extension GCImportCommand {
    /// `gcimport run`: sends every row to GetCourse, records each outcome in the ledger, resumes when run again.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a CSV file into GetCourse (or the built-in sandbox), resumably.",
            discussion: """
                Every row's outcome goes to a ledger (default FILE.ledger.jsonl beside the input). Running the \
                same command again resumes: rows already done are skipped, failed ones are retried, and rows \
                whose answer never came are sent again only when that cannot create a duplicate. The API key \
                comes from GETCOURSE_API_KEY or --key-file, never from a flag.
                Exit status: 0 every row ok or skipped; 1 some rows need attention; 64 usage; 65 the input, \
                mapping or ledger cannot be used; 69 the service refused the run; 70 the row counts do not add up \
                (a bug: the ledger is the reference); 74 the ledger cannot be written; 130 interrupted.
                """)

        @Argument(help: "The CSV file.")
        var file: String

        @Option(name: .shortAndLong, help: "The mapping file (YAML); see `gcimport mapping init`.")
        var mapping: String

        @OptionGroup var target: TargetOptions

        @Option(help: ArgumentHelp("The ledger file (default: FILE.ledger.jsonl).", valueName: "path"))
        var ledger: String?

        @Flag(name: .customLong("new-ledger"), help: "Start over: move the existing ledger aside instead of resuming.")
        var newLedger = false

        @Flag(
            name: .customLong("resend-unknown"),
            help: "Also resend rows whose answer never came even when that may duplicate them (deals without a number)."
        )
        var resendUnknown = false

        @Flag(name: .customLong("dry-run"), help: "Validate every row and send nothing (same as `gcimport validate`).")
        var dryRun = false

        @Flag(
            name: .customLong("no-check"),
            help: "Start without the account check (`gcimport check`) that otherwise runs before the first call.")
        var noCheck = false

        @Flag(
            name: .customLong("strict-groups"),
            help: "In the account check, treat every group the account does not have yet as a problem.")
        var strictGroups = false

        @Flag(name: .customLong("unordered"), help: .hidden)
        var unordered = false

        @OptionGroup var send: SendOptions

        func validate() throws {
            if !dryRun { try target.validateChoice() }
        }

        func run() async throws {
            if dryRun {
                let validate = try Validate.parse([file, "--mapping", mapping] + (send.json ? ["--json"] : []))
                try validate.run()
                return
            }
            do {
                try await perform()
            } catch let failure as CommandFailure {
                throw failure.report()
            }
        }

        private func perform() async throws {
            let console = Console(quiet: send.quiet)
            let ledgerPath = ledger ?? RunRequest.defaultLedgerPath(forInput: file)
            let resolved = try await target.resolve(
                keyFile: send.keyFile, sandboxState: InProcessSandbox.statePath(forLedger: ledgerPath),
                freshSandbox: newLedger || !FileManager.default.fileExists(atPath: ledgerPath))
            var options = send.recorded
            options["target"] = resolved.target.ledgerName
            if resendUnknown { options["resend_unknown"] = "true" }
            if noCheck { options["check"] = "skipped" }
            let request = RunRequest(
                inputPath: file, mappingPath: mapping, ledgerPath: ledgerPath, target: resolved.target,
                newLedger: newLedger, command: "run", options: options)
            var configuration = try send.configuration(
                selection: .resume(resendUnknown: resendUnknown), sandbox: target.sandbox)
            configuration.ordersSameKeyRows = !unordered
            let summary = try await resolved.shuttingDown {
                try await RunPresenter(console: console, json: send.json).execute(
                    request: request, resolved: resolved, configuration: configuration,
                    preflight: noCheck ? nil : .init(strictGroups: strictGroups))
            }
            console.closing(
                summary: summary, ledgerPath: ledgerPath, json: send.json, next: nextSteps(summary, ledgerPath))
            throw RunPresenter.exitCode(for: summary)
        }

        private func nextSteps(_ summary: RunSummary, _ ledgerPath: String) -> [String] {
            let rerun = (["gcimport", "run", file, "--mapping", mapping] + targetArguments).map(Console.quote)
                .joined(separator: " ")
            var lines: [String] = []
            if summary.stopReason != nil || summary.counts.pending > 0 {
                lines.append("Resume: \(rerun)   (rows already done are skipped)")
            }
            if summary.counts.failed > 0 {
                lines.append("Retry the failed rows: gcimport retry --ledger \(Console.quote(ledgerPath))")
            }
            let verify = "gcimport verify --ledger \(Console.quote(ledgerPath))"
            if summary.counts.unknown > 0 {
                lines.append("Settle the \(summary.counts.unknown) row(s) whose answer never came: \(verify)")
            } else if summary.stopReason == nil {
                lines.append("Check what landed in the account: \(verify)")
            }
            lines.append("Report: gcimport report --ledger \(Console.quote(ledgerPath))")
            if summary.counts.needingAttention > 0 {
                lines.append(
                    "Rows to fix (\(summary.counts.needingAttention)): gcimport failed --ledger "
                        + "\(Console.quote(ledgerPath)) -o needs-attention.csv")
            }
            if target.sandbox && summary.stopReason == nil {
                lines.append(
                    "For real: GETCOURSE_API_KEY=… gcimport run \(Console.quote(file)) --mapping "
                        + "\(Console.quote(mapping)) --account NAME --ledger NEW.ledger.jsonl")
            }
            return lines
        }

        private var targetArguments: [String] {
            target.arguments + (target.sandbox ? ledger.map { ["--ledger", $0] } ?? [] : [])
        }
    }
}
