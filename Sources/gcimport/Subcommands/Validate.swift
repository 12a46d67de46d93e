import ArgumentParser
import CSVReader
import Foundation
import GCImportKit

extension GCImportCommand {
    /// `gcimport validate`: the dry run. Every row through the real mapper and payload builder, nothing sent.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every row of a CSV file against a mapping (a dry run: nothing is sent).",
            discussion: """
                Prints how the file was read, the counts (rows, valid, invalid, skipped, duplicates), errors \
                grouped by field with their first lines, and warnings. Exit status: 0 all rows valid, 1 some \
                invalid, 65 the mapping or the file cannot be used, 64 usage error.
                """)

        @Argument(help: "The CSV file.")
        var file: String

        @Option(name: .shortAndLong, help: "The mapping file (YAML); see `gcimport mapping init`.")
        var mapping: String

        @Flag(help: "Print the report as JSON.")
        var json = false

        @Option(help: "Pretty-print the first N payloads and their form bodies (key masked).")
        var show = 0

        @Option(help: "Write the invalid rows here as CSV (original columns + _line, _error).")
        var rejects: String?

        @Option(help: "Write every valid payload here, one JSON object per line.")
        var payloads: String?

        @Option(
            help: """
                Threads that read and map rows (default: one per processor, at most 4). Lower it to leave \
                cores to others on a shared machine; the report is the same whatever the count.
                """)
        var threads: Int?

        /// Reader settings; the mapping's `csv:` section wins over them.
        @OptionGroup var input: CSVInputOptions

        func validate() throws {
            guard show >= 0 else { throw ValidationError("--show takes a count ≥ 0") }
            if let threads, !(1...64).contains(threads) {
                throw ValidationError("--threads takes a count from 1 to 64")
            }
        }

        func run() throws {
            var options = DryRunOptions()
            options.readerOptions = input.readerOptions
            options.show = show
            options.rejectsPath = rejects
            options.payloadsPath = payloads
            options.threads = threads ?? 0
            let report: DryRunReport
            do {
                let loaded = try Mapping.load(path: mapping)
                report = try DryRun(file: file, mapping: loaded, options: options).run()
            } catch let error as MappingError {
                throw CommandFailure("\(error)", code: .dataError).report()
            } catch let error as CSVReadError {
                throw CommandFailure("\(error)", code: .dataError).report()
            } catch let error as DryRunOutputError {
                throw CommandFailure("\(error)", code: .cannotCreate).report()
            }
            print(json ? DryRunRenderer.json(report) : DryRunRenderer.text(report), terminator: "")
            if report.exitStatus != .success { throw ExitCode(report.exitStatus) }
        }
    }
}
