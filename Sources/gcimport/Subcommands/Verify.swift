import ArgumentParser
import Foundation
import GCImportKit

extension GCImportCommand {
    /// `gcimport verify`: what landed in the account, compared with what the ledger says was sent.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a run's ledger with the account (through the export API) and record what landed.",
            discussion: """
                Exports the users or orders created in the run's days (one day wider on each side for time \
                zones; --since goes further back) and each group the rows send, then: an unknown row (sent, \
                no answer) found in the account becomes ok with its id; one that is not there becomes failed, \
                so `gcimport retry` sends it once; an order without a number is matched on buyer, cost, offer \
                and date to an order no other row accounts for, and left unknown with the candidates when more \
                than one could be it. An ok row whose user, order or group membership is not there becomes \
                missing (retry sends it again). Everything found is written into the ledger; `gcimport report` \
                shows it.
                The account builds one export at a time and answers at most 100 export requests per 2 hours: \
                verify counts its requests (those this ledger recorded before too), waits out a busy account \
                (905) and a spent budget (903), and stops before spending more than --budget, saying when to \
                run it again. Interrupted, it continues the exports it started; run twice, it changes nothing \
                the second time.
                Exit status: 0 nothing needs `retry` or a look (rows whose user or order existed before the \
                window are counted as not checkable); 1 rows need `retry` or a look; 65 the \
                ledger, input or mapping cannot be used (or changed); 69 the account refused or does not \
                answer; 74 the ledger cannot be written; 75 the export budget is spent (run it again later); \
                130 interrupted.
                """)

        @Option(help: ArgumentHelp("The ledger of the run to verify.", valueName: "path"))
        var ledger: String

        @Option(
            name: .customLong("key-file"),
            help: ArgumentHelp(
                "A file holding the API key (default: the GETCOURSE_API_KEY environment variable).", valueName: "file"))
        var keyFile: String?

        @Option(
            help: ArgumentHelp(
                "Export from this day on (YYYY-MM-DD) when it is before the run: for users or orders that existed "
                    + "before it.",
                valueName: "day"))
        var since: String?

        @Flag(
            name: .customLong("no-groups"),
            help: ArgumentHelp(
                "Do not export each group to confirm memberships (saves one export per group; group lists, kind "
                    + "user_groups, are always checked)."))
        var noGroups = false

        @Option(
            help: ArgumentHelp(
                "Account API requests verify may spend per 2 hours, counting this ledger's earlier ones (the "
                    + "account allows 100).",
                valueName: "n"))
        var budget = ExportBudget.documentedLimit

        @Flag(help: "Print the result as one JSON object.")
        var json = false

        @Flag(help: "No progress lines, only errors and the result.")
        var quiet = false

        // Test knob: the first wait between polls of an export that is not ready.
        @Option(name: .customLong("poll-interval"), help: .hidden)
        var pollInterval: Double?

        func validate() throws {
            if let since, !Day.isValid(since) {
                throw ValidationError("--since \(since): expected a day like 2024-01-31")
            }
            guard (1...ExportBudget.documentedLimit).contains(budget) else {
                throw ValidationError("--budget must be between 1 and \(ExportBudget.documentedLimit)")
            }
        }

        func run() async throws {
            do {
                try await perform()
            } catch let failure as CommandFailure {
                throw failure.report()
            }
        }

        private func perform() async throws {
            let (header, resolved) = try await TargetResolution.resolve(ledger: ledger, keyFile: keyFile)
            var options = VerifyOptions()
            options.since = since
            options.checksGroups = !noGroups
            options.budget = budget
            if resolved.sandbox != nil { options.client.pollBackoff = Backoff(base: 0.2, cap: 2) }
            if let pollInterval { options.client.pollBackoff = Backoff(base: pollInterval, cap: pollInterval * 8) }
            let verification = Verification(
                ledgerPath: ledger, target: resolved.target, key: resolved.key, options: options)
            let quiet = self.quiet
            let say: @Sendable (String) -> Void = { line in if !quiet { StandardError.emit(line) } }
            say("gcimport: verifying \(ledger) (\(header.kind.rawValue) rows) against \(header.target)")
            let control = RunControl()
            let trap = SignalTrap(
                first: { _ in
                    say("\ngcimport: stopping: the exports started so far are recorded (Ctrl-C again quits at once)")
                    control.stop(.interrupted)
                },
                second: { _ in _exit(ExitCode.interrupted.rawValue) })
            let result = await RunPresenter.onThread { () throws(Never) -> Result<VerifyReport, VerifyError> in
                Result { () throws(VerifyError) -> VerifyReport in try verification.run(control: control, say: say) }
            }
            trap.cancel()
            await resolved.shutdown()
            let report: VerifyReport
            switch result {
            case .success(let value): report = value
            case .failure(let error): throw CommandFailure(error.description, code: Self.exitCode(for: error))
            }
            print(json ? ReportJSON.encode(report) : report.renderText(), terminator: "")
            if report.exitStatus != .success { throw ExitCode(report.exitStatus) }
        }

        static func exitCode(for error: VerifyError) -> ExitCode {
            switch error {
            case .ledger(let error): error.isWriteFailure ? .ioError : .dataError
            case .inputChanged, .input: .dataError
            case .unexpectedExport: .unavailable
            case .account(let error):
                switch error {
                case .refused, .unavailable, .unexpected: .unavailable
                case .budgetSpent, .waitedTooLong: .tryLater
                case .stopped: .interrupted
                }
            }
        }
    }
}
