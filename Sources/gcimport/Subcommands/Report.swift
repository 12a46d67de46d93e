import ArgumentParser
import GCImportKit

extension GCImportCommand {
    /// `gcimport report`: what a ledger says about an import.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a run's ledger: rows per state, errors by message, ids, time and rate.",
            discussion: """
                Reads the ledger that `gcimport run` wrote (by default INPUT.ledger.jsonl beside the input). \
                A row's state is that of its last ledger line; rows still `sent` (no answer recorded) count as \
                unknown. Exit status: 0 when every row in the ledger is ok or skipped, 1 otherwise, 65 when the \
                ledger cannot be read.
                """
        )

        @Option(name: .long, help: ArgumentHelp("The ledger file to read.", valueName: "path"))
        var ledger: String

        @Flag(name: .long, help: "Print one JSON object instead of text.")
        var json = false

        func run() throws {
            let report: LedgerReport
            do {
                report = try LedgerReport.build(ledgerPath: ledger)
            } catch {
                StandardError.emit("gcimport report: \(error)")
                throw ExitCode.dataError
            }
            print(json ? report.renderJSON() : report.renderText(), terminator: "")
            if report.counts.contains(where: { $0.value > 0 && $0.key != .ok && $0.key != .skipped }) {
                throw ExitCode.problems
            }
        }
    }
}
