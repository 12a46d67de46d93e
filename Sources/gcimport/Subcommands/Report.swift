import ArgumentParser
import Foundation
import GCImportKit

extension GCImportCommand {
    /// `gcimport report`: what a ledger says about an import.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a run's ledger: rows per state, errors by message, ids, time and rate.",
            discussion: """
                Reads the ledger that `gcimport run` wrote (by default INPUT.ledger.jsonl beside the input). \
                A row's state is that of its last ledger line; rows still `sent` (no answer recorded) count as \
                unknown. With --html the same report, with a chart of the calls over time and the latencies, is \
                written as one self-contained page (no script, no external file) to open in any browser or attach \
                to the hand-over. Exit status: 0 when every row in the ledger is ok or skipped, 1 otherwise, 65 \
                when the ledger cannot be read, 73 when the page cannot be written.
                """
        )

        @Option(name: .long, help: ArgumentHelp("The ledger file to read.", valueName: "path"))
        var ledger: String

        @Flag(name: .long, help: "Print one JSON object instead of text.")
        var json = false

        @Option(
            name: .long,
            help: ArgumentHelp("Also write the report as one self-contained HTML page to this file.", valueName: "path")
        )
        var html: String?

        func run() throws {
            let report: LedgerReport
            do {
                report = try LedgerReport.build(ledgerPath: ledger)
            } catch {
                StandardError.error("\(error)")
                throw ExitCode.dataError
            }
            if let html {
                do {
                    try Data(report.renderHTML().utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
                } catch {
                    StandardError.error("cannot write \(html): \(error.localizedDescription)")
                    throw ExitCode.cannotCreate
                }
                StandardError.emit("wrote \(html)")
            }
            print(json ? report.renderJSON() : report.renderText(), terminator: "")
            if report.counts.contains(where: { $0.value > 0 && $0.key != .ok && $0.key != .skipped }) {
                throw ExitCode.problems
            }
        }
    }
}
