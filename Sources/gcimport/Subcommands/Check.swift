import ArgumentParser
import Foundation
import GCImportKit

extension GCImportCommand {
    /// `gcimport check`: the preflight that reads the account (no import call) and says what the import
    /// would silently lose.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a mapping and a file with the account before importing (reads only, sends nothing).",
            discussion: """
                Asks the account (two read calls, which count against its export budget of 100 requests per \
                2 hours) whether the key works and the plan has the API, whether every additional field the \
                mapping sends (user.addfields.*, deal.addfields.*) exists for the right object, and which \
                group names of the file it does not have yet, with their row counts and the nearest existing \
                name. GetCourse drops an unknown additional field without an error and creates a new group \
                for a mistyped name, so both are reported here. A new group that is almost an existing one \
                (case, spaces, look-alike letters, one typo) is a problem; other new groups are listed, and \
                are problems too under --strict-groups. `gcimport run` makes the same check before its first \
                call. With --sandbox, the rehearsal's sandbox state beside --ledger is checked when there is one.
                Exit status: 0 nothing would be lost; 65 the mapping or the file would lose or misfile data, \
                or cannot be read; 69 the account refuses (bad key, no API on the plan…) or does not answer; \
                75 the account's export budget is spent (try again later); 64 usage.
                """)

        @Argument(help: "The CSV file.")
        var file: String

        @Option(name: .shortAndLong, help: "The mapping file (YAML).")
        var mapping: String

        @OptionGroup var target: TargetOptions

        @Option(
            help: ArgumentHelp(
                "With --sandbox: the rehearsal's ledger, whose sandbox state is checked (default FILE.ledger.jsonl).",
                valueName: "path"))
        var ledger: String?

        @Option(
            name: .customLong("key-file"),
            help: ArgumentHelp(
                "A file holding the API key (default: the GETCOURSE_API_KEY environment variable).", valueName: "file"))
        var keyFile: String?

        @Flag(name: .customLong("strict-groups"), help: "Treat every group the account does not have yet as a problem.")
        var strictGroups = false

        @Flag(help: "Print the report as one JSON object.")
        var json = false

        func validate() throws {
            try target.validateChoice()
        }

        func run() async throws {
            do {
                let report = try await perform()
                print(json ? ReportJSON.encode(report) : report.renderText(), terminator: "")
                if report.exitStatus != .success { throw ExitCode(report.exitStatus) }
            } catch let failure as CommandFailure {
                throw failure.report()
            }
        }

        private func perform() async throws -> CheckReport {
            let ledgerPath = ledger ?? RunRequest.defaultLedgerPath(forInput: file)
            let state = InProcessSandbox.statePath(forLedger: ledgerPath)
            let resolved = try await target.resolve(
                keyFile: keyFile, sandboxState: FileManager.default.fileExists(atPath: state) ? state : nil,
                freshSandbox: false)
            let result = await Preflight.check(
                inputPath: file, mappingPath: mapping, resolved: resolved, strictGroups: strictGroups,
                say: { StandardError.emit($0) })
            await resolved.shutdown()
            return try result.get()
        }
    }
}

/// The account check as `check` and `run` make it: on a thread of its own, with the account's answers
/// classified as an import run classifies them.
enum Preflight {
    static func check(
        inputPath: String, mappingPath: String, resolved: ResolvedTarget, strictGroups: Bool,
        prepared: AccountCheck? = nil, say: @escaping @Sendable (String) -> Void
    ) async -> Result<CheckReport, CommandFailure> {
        let targetName = resolved.sandbox != nil ? "the built-in sandbox" : resolved.target.baseURL
        return await RunPresenter.onThread { () throws(Never) -> Result<CheckReport, CommandFailure> in
            var configuration = AccountClientConfiguration()
            configuration.timeout = 60
            configuration.maxAttempts = 4
            // Two quick reads: a spent export budget (903) is reported at once, not waited out for hours.
            configuration.maxBudgetWait = 0
            let client = AccountClient(
                target: resolved.target, key: resolved.key, configuration: configuration, say: say)
            defer { client.shutdown() }
            do throws(CheckError) {
                var check: AccountCheck
                if let prepared {
                    check = prepared
                } else {
                    check = try AccountCheck.prepare(
                        inputPath: inputPath, mappingPath: mappingPath, targetName: targetName,
                        strictGroups: strictGroups)
                }
                check.targetName = targetName
                var report = try check.perform(client: client)
                report.rehearsal = resolved.sandbox != nil
                return .success(report)
            } catch {
                switch error {
                case .input(let reason): return .failure(CommandFailure(reason, code: .dataError))
                case .account(let error):
                    let spent: Bool
                    switch error {
                    case .budgetSpent, .waitedTooLong: spent = true
                    default: spent = false
                    }
                    let message =
                        spent
                        ? "the check could not ask the account: its export budget (100 requests per 2 hours, which "
                            + "the fields and groups lists count against) is spent; try again later. Nothing was sent."
                        : "the check could not ask the account: \(error). Nothing was sent."
                    return .failure(CommandFailure(message, code: spent ? .tryLater : .unavailable))
                }
            }
        }
    }
}
