import ArgumentParser
import CSVReader
import Foundation
import GCImportKit

extension GCImportCommand {
    /// `gcimport mapping …`: commands about mapping files.
    struct MappingCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mapping",
            abstract: "Work with column-mapping files.",
            subcommands: [Init.self])
    }
}

extension GCImportCommand.MappingCommand {
    /// `gcimport mapping init FILE`: a starter mapping from the file's header.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a starter mapping for a CSV file by recognising its column headers.",
            discussion: """
                Recognised headers (Email, Телефон, Имя, Фамилия, Группы, Номер, Стоимость, Статус…, the API's \
                own names such as deal_cost, and the columns of GetCourse's user and order exports) become \
                fields with suitable transforms, once the first rows' values fit them; status, payment and \
                currency columns get a `map:` from the values seen (codes kept, known words translated, the \
                rest TODO). Other columns are listed as commented-out additional fields; a column without a \
                header is named by its number. The mapping is loaded back before it is written: one that \
                would not load is not written (exit 65). Review the result, then run \
                `gcimport validate FILE --mapping OUT`.
                """)

        @Argument(help: "The CSV file.")
        var file: String

        @Option(help: "user, deal, deal_status or user_groups (default: guessed from the headers).")
        var kind: String?

        @Option(name: .shortAndLong, help: "Write the mapping here instead of standard output.")
        var output: String?

        /// How to read the file (detected when omitted); the choice is written into the mapping's `csv:`.
        @OptionGroup var input: CSVInputOptions

        @Flag(help: "Overwrite OUTPUT if it exists.")
        var force = false

        func validate() throws {
            if let kind, ImportKind(rawValue: kind) == nil {
                throw ValidationError("--kind: use user, deal, deal_status or user_groups")
            }
        }

        func run() throws {
            let result: (yaml: String, kind: ImportKind)
            do {
                result = try StarterMapping.generate(
                    file: file, kind: kind.flatMap(ImportKind.init(rawValue:)), options: input.readerOptions)
            } catch let error as CSVReadError {
                StandardError.error("\(error)")
                throw ExitCode.dataError
            } catch let error as StarterMappingError {
                StandardError.error("\(error)")
                throw ExitCode.dataError
            }
            guard let output else {
                print(result.yaml, terminator: "")
                return
            }
            if FileManager.default.fileExists(atPath: output) && !force {
                StandardError.error("\(output) exists; use --force to overwrite it")
                throw ExitCode.usage
            }
            do {
                try Data(result.yaml.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                StandardError.error("cannot write \(output): \(error.localizedDescription)")
                throw ExitCode.cannotCreate
            }
            StandardError.emit(
                "wrote \(output) (kind \(result.kind.rawValue)); next: gcimport validate \(file) --mapping \(output)")
        }
    }
}
