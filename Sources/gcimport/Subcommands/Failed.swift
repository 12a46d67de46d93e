import ArgumentParser
import Foundation
import GCImportKit

extension GCImportCommand {
    /// `gcimport failed`: the rows to fix, as a CSV the same mapping reads back.
    struct Failed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the rows that need attention to a CSV you can fix and import again.",
            discussion: """
                Copies the rows of the original input whose last ledger state is one of --states, with their \
                original columns plus _line, _state and _error, in the input's delimiter, encoding and BOM. Fix \
                them (in Excel, say) and import the file with the same mapping; the extra columns are ignored. \
                The input must be unchanged since the run (checked by SHA-256).
                """
        )

        @Option(name: .long, help: ArgumentHelp("The ledger file to read.", valueName: "path"))
        var ledger: String

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The CSV file to write.", valueName: "path"))
        var output: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Comma-separated states to export: rejected, failed, unknown, invalid, missing, ok, skipped.",
                valueName: "states"))
        var states = "rejected,failed,unknown,invalid,missing"

        func validate() throws {
            _ = try parsedStates()
        }

        private func parsedStates() throws -> Set<RowState> {
            var result: Set<RowState> = []
            for name in states.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                guard let state = RowState(rawValue: name), state != .sent else {
                    throw ValidationError(
                        "unknown state '\(name)' in --states; use any of rejected, failed, unknown, invalid, missing, ok, "
                            + "skipped"
                    )
                }
                result.insert(state)
            }
            guard !result.isEmpty else { throw ValidationError("--states names no state") }
            return result
        }

        func run() throws {
            let export = FailedRowsExport(ledgerPath: ledger, outputPath: output, states: try parsedStates())
            do {
                let summary = try export.run()
                let parts = summary.byState.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key)" }
                print(
                    "Wrote \(summary.written) rows to \(output)"
                        + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"))
            } catch {
                StandardError.error("\(error)")
                throw ExitCode.dataError
            }
        }
    }
}
