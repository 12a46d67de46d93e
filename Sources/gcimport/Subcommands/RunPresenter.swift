import ArgumentParser
import Dispatch
import Foundation
import GCImportKit

/// Prints what `run` and `retry` do: a short introduction, the closing summary and the next steps.
/// Status goes to stderr, the summary to stdout (only the JSON object with `--json`).
struct Console: Sendable {
    var quiet: Bool

    func status(_ text: String) {
        guard !quiet else { return }
        StandardError.emit(text)
    }

    func error(_ text: String) {
        StandardError.error(text)
    }

    /// The closing lines: summary, why it stopped, where the ledger is, what to do next.
    func closing(summary: RunSummary, ledgerPath: String, json: Bool, next: [String]) {
        if case .refused(let refusal) = summary.stopReason { error(refusal.description) }
        if case .ledgerFailed(let reason) = summary.stopReason { error(reason) }
        if case .inputFailed(let reason) = summary.stopReason { error(reason) }
        for problem in summary.problems { error(problem) }
        if json {
            print(summary.json(ledgerPath: ledgerPath), terminator: "")
            return
        }
        guard !quiet else { return }
        print(summary.text())
        print("Ledger: \(ledgerPath)")
        for line in next { print(line) }
    }

    /// Quotes a path or argument for a shell command line when it needs it.
    static func quote(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@,+")
        if !text.isEmpty && text.allSatisfy({ safe.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Opens a run, checks the account first, introduces it, runs it on a thread of its own and hands back
/// the summary.
struct RunPresenter {
    var console: Console
    var json: Bool

    /// `run`'s preflight: nil skips it (`--no-check`, `retry`).
    struct PreflightOptions {
        var strictGroups: Bool
    }

    func execute(
        request: RunRequest, resolved: ResolvedTarget, configuration: RunConfiguration, preflight: PreflightOptions?
    ) async throws(CommandFailure) -> RunSummary {
        let prepared: PreparedRun
        do {
            prepared = try await Self.onThread { () throws(RunSetupError) -> PreparedRun in
                try RunSetup.prepare(request)
            }
        } catch {
            throw CommandFailure(error.description, code: Self.exitCode(for: error))
        }
        var check: LedgerCheckRecord?
        if let preflight, !(prepared.prior?.hasPassedCheck ?? false) {
            check = try await self.check(prepared, resolved: resolved, strictGroups: preflight.strictGroups)
        }
        let opened: OpenedRun
        let passed = check
        do {
            opened = try await Self.onThread { () throws(RunSetupError) -> OpenedRun in
                try RunSetup.open(prepared, check: passed)
            }
        } catch {
            throw CommandFailure(error.description, code: Self.exitCode(for: error))
        }
        introduce(
            opened, request: request, target: resolved.target, configuration: configuration,
            sandbox: resolved.sandbox != nil)
        let style: ProgressReporter.Style =
            console.quiet ? .quiet : TTY.isTerminal(STDERR_FILENO) ? .terminal : .lines
        return await Self.onThread { () throws(Never) -> RunSummary in
            ImportDriver.execute(
                opened: opened, target: resolved.target, key: resolved.key, configuration: configuration,
                progress: style, quit: { _exit(ExitCode.interrupted.rawValue) })
        }
    }

    /// The account check before the first call; a problem refuses the run before its ledger is written, so
    /// the fixed mapping or file starts cleanly.
    private func check(_ prepared: PreparedRun, resolved: ResolvedTarget, strictGroups: Bool)
        async throws(CommandFailure) -> LedgerCheckRecord
    {
        console.status("gcimport: checking the account before the first call (--no-check skips this)")
        let accountCheck = AccountCheck(
            prepared: prepared, targetName: resolved.target.baseURL, strictGroups: strictGroups)
        let report: CheckReport
        let console = self.console
        switch await Preflight.check(
            inputPath: prepared.request.inputPath, mappingPath: prepared.request.mappingPath, resolved: resolved,
            strictGroups: strictGroups, prepared: accountCheck, say: { console.status($0) })
        {
        case .success(let result): report = result
        case .failure(let failure):
            throw CommandFailure(failure.message + " Pass --no-check to start without the check.", code: failure.code)
        }
        guard report.exitStatus == .success else {
            StandardError.emit(report.renderText())
            let what =
                report.refusal != nil
                ? "the account refused the check" : "the check found \(report.problems) problem(s) that would lose data"
            throw CommandFailure(
                "\(what); nothing was sent and no ledger was written. Fix them and run the same command again "
                    + "(`gcimport check` repeats just the check).",
                code: ExitCode(report.exitStatus))
        }
        let fields =
            report.fields.isEmpty
            ? "no additional fields sent" : "\(report.fields.count) additional field(s) found in the account"
        let groups =
            report.groups.isEmpty
            ? "no groups sent"
            : "\(report.groups.count) group name(s), \(report.newGroups) of them new (created on first use)"
        console.status("  check passed: \(fields); \(groups)")
        return report.record
    }

    private func introduce(
        _ opened: OpenedRun, request: RunRequest, target: ImportTarget, configuration: RunConfiguration,
        sandbox: Bool
    ) {
        console.status(
            "gcimport: importing \(request.inputPath) (\(opened.kind.rawValue) rows, mapping \(request.mappingPath))")
        if sandbox {
            console.status(
                "  into the built-in sandbox at \(target.baseURL): a local stand-in for GetCourse, nothing leaves this machine"
            )
        } else {
            console.status("  into \(target.baseURL)")
        }
        switch opened.ledgerStart {
        case .created:
            console.status("  ledger: \(opened.ledgerPath) (new)")
        case .resumed:
            let counts = opened.prior?.counts() ?? [:]
            let done = counts.filter { $0.key.isDone }.values.reduce(0, +)
            console.status("  ledger: \(opened.ledgerPath) (resuming: \(done) rows already done are skipped)")
        case .restarted(let aside):
            console.status("  ledger: \(opened.ledgerPath) (started over; the previous one was moved to \(aside))")
        }
        let attempts = configuration.maxAttempts == 1 ? "1 attempt" : "up to \(configuration.maxAttempts) attempts"
        console.status("  \(configuration.workers) workers · \(configuration.rate) · \(attempts) per row")
        for warning in opened.mappingWarnings { console.status("  warning: \(warning)") }
    }

    /// The sysexits code for how the run ended.
    static func exitCode(for error: RunSetupError) -> ExitCode {
        switch error.cause {
        case .unusable: .dataError
        case .ledgerUnwritable: .ioError
        }
    }

    static func exitCode(for summary: RunSummary) -> ExitCode {
        switch summary.stopReason {
        case .interrupted: return .interrupted
        case .refused: return .unavailable
        case .ledgerFailed: return .ioError
        case .inputFailed: return .dataError
        case nil: break
        }
        if !summary.problems.isEmpty { return .internalError }
        return summary.allDone ? .success : .problems
    }

    /// Runs blocking work on a Dispatch thread so the async command's executor is never blocked.
    static func onThread<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            DispatchQueue(label: "gcimport.blocking").async {
                continuation.resume(returning: Result { () throws(E) -> T in try work() })
            }
        }
        return try result.get()
    }
}
