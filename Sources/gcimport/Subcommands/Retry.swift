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
            let console = Console(quiet: send.quiet)
            let header: LedgerHeader
            do {
                header = try LedgerSnapshot.load(path: ledger).header
            } catch {
                console.fail("\(error)", code: .dataError)
            }
            var sandboxHost: InProcessSandbox?
            let target: ImportTarget
            let key: APIKey
            do {
                if header.target == "sandbox" {
                    let host = try await InProcessSandbox.start(
                        statePath: InProcessSandbox.statePath(forLedger: ledger))
                    sandboxHost = host
                    (target, key) = (host.target, host.key)
                } else {
                    target = try ImportTarget.endpoint(header.target)
                    key = try APIKey.load(keyFile: send.keyFile)
                }
            } catch let error as ImportTargetError {
                console.fail("the ledger's target cannot be used: \(error)", code: .dataError)
            } catch let error as APIKeyError {
                console.fail("\(error)", code: .usage)
            } catch {
                console.fail("cannot start the sandbox: \(error)", code: .unavailable)
            }
            var states: Set<RowState> = [.failed, .missing]
            if rejected { states.insert(.rejected) }
            var options = send.recorded
            options["states"] = states.map(\.rawValue).sorted().joined(separator: ",")
            let request = RunRequest(
                inputPath: header.input.path, mappingPath: header.mapping.path, ledgerPath: ledger, target: target,
                newLedger: false, command: "retry", options: options)
            let configuration = try send.configuration(
                selection: .retry(states: states), defaultRate: sandboxHost != nil ? "50/s" : "5/s")
            let summary = try await RunPresenter(console: console, json: send.json).execute(
                request: request, target: target, key: key, configuration: configuration, sandbox: sandboxHost != nil)
            await sandboxHost?.shutdown()
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
