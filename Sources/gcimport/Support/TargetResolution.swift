import ArgumentParser
import Foundation
import GCImportKit

/// Where a command's calls go and with which key: an account, an endpoint, or the built-in sandbox started
/// in this process. One resolution for every command that talks to GetCourse.
struct ResolvedTarget: Sendable {
    var target: ImportTarget
    var key: APIKey
    /// The in-process sandbox, when the target is it; shut it down before the command ends.
    var sandbox: InProcessSandbox?

    func shutdown() async {
        await sandbox?.shutdown()
    }

    /// Runs `body`, then shuts the in-process sandbox down whether `body` returned or threw: `run`, `retry`
    /// and the others must never end with it still serving.
    func shuttingDown<T>(after body: () async throws -> T) async rethrows -> T {
        do {
            let value = try await body()
            await shutdown()
            return value
        } catch {
            await shutdown()
            throw error
        }
    }
}

enum TargetResolution {
    /// `--account NAME`, `--endpoint URL` or `--sandbox`, and the key from `--key-file` or the environment.
    /// The sandbox keeps its state at `sandboxState` (nil: in memory only); `freshSandbox` empties it first;
    /// `directory` gives it the real account's fields and groups files.
    static func resolve(
        account: String?, endpoint: String?, sandbox: Bool, keyFile: String?, sandboxState: String?,
        freshSandbox: Bool, directory: SandboxDirectoryOptions? = nil
    ) async throws(CommandFailure) -> ResolvedTarget {
        if sandbox {
            return try await startSandbox(
                state: sandboxState, fresh: freshSandbox, fields: directory?.sandboxFields,
                groups: directory?.sandboxGroups)
        }
        let target: ImportTarget
        do {
            target = try account.map(ImportTarget.account) ?? ImportTarget.endpoint(endpoint ?? "")
        } catch {
            throw CommandFailure("\(error)", code: .usage)
        }
        return ResolvedTarget(target: target, key: try loadKey(keyFile), sandbox: nil)
    }

    /// The ledger's header, and the target it names (`sandbox`: the in-process sandbox on the state beside
    /// the ledger), for the commands that work from a ledger (`retry`, `verify`).
    static func resolve(ledger ledgerPath: String, keyFile: String?) async throws(CommandFailure) -> (
        LedgerHeader, ResolvedTarget
    ) {
        let header: LedgerHeader
        do {
            header = try LedgerHeader.read(path: ledgerPath)
        } catch {
            throw CommandFailure("\(error)", code: .dataError)
        }
        return (header, try await resolve(ledgerTarget: header.target, ledgerPath: ledgerPath, keyFile: keyFile))
    }

    private static func resolve(ledgerTarget: String, ledgerPath: String, keyFile: String?)
        async throws(CommandFailure) -> ResolvedTarget
    {
        if ledgerTarget == "sandbox" {
            return try await startSandbox(state: InProcessSandbox.statePath(forLedger: ledgerPath), fresh: false)
        }
        let target: ImportTarget
        do {
            target = try ImportTarget.endpoint(ledgerTarget)
        } catch {
            throw CommandFailure("the ledger's target cannot be used: \(error)", code: .dataError)
        }
        return ResolvedTarget(target: target, key: try loadKey(keyFile), sandbox: nil)
    }

    private static func loadKey(_ keyFile: String?) throws(CommandFailure) -> APIKey {
        do {
            return try APIKey.load(keyFile: keyFile)
        } catch {
            throw CommandFailure("\(error)", code: .usage)
        }
    }

    private static func startSandbox(
        state: String?, fresh: Bool, fields: String? = nil, groups: String? = nil
    ) async throws(CommandFailure) -> ResolvedTarget {
        do {
            let host = try await InProcessSandbox.start(
                statePath: state, fresh: fresh, fieldsFile: fields, groupsFile: groups)
            return ResolvedTarget(target: host.target, key: host.key, sandbox: host)
        } catch {
            throw CommandFailure("cannot start the sandbox: \(error)", code: .unavailable)
        }
    }
}

/// `--sandbox-fields`, `--sandbox-groups`: the real account's directories for a rehearsal (`run --sandbox`,
/// `check --sandbox`); kept beside the rehearsal's state for its later commands.
struct SandboxDirectoryOptions: ParsableArguments {
    @Option(
        name: .customLong("sandbox-fields"),
        help: ArgumentHelp(
            "With --sandbox: the account's additional fields, as its /pl/api/account/fields answers them (or lines "
                + "`user: Title`), so the rehearsal keeps and checks the same ones. Kept beside the rehearsal's "
                + "state for its later commands, a new ledger included, until other files are given.",
            valueName: "file"))
    var sandboxFields: String?

    @Option(
        name: .customLong("sandbox-groups"),
        help: ArgumentHelp(
            "With --sandbox: the account's groups, as its /pl/api/account/groups answers them (or one name per line).",
            valueName: "file"))
    var sandboxGroups: String?

    var isEmpty: Bool { sandboxFields == nil && sandboxGroups == nil }
}

/// `--account NAME | --endpoint URL | --sandbox`: where a command that talks to GetCourse sends its calls.
struct TargetOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("The account: NAME for https://NAME.getcourse.ru, or NAME.getcourse.io.", valueName: "name"))
    var account: String?

    @Option(help: ArgumentHelp("An account on its own domain, e.g. https://school.example.com.", valueName: "url"))
    var endpoint: String?

    @Flag(help: "The built-in sandbox, started in this process: a rehearsal, nothing leaves the machine.")
    var sandbox = false

    @OptionGroup var directory: SandboxDirectoryOptions

    /// Exactly one target, and the sandbox's directories only with the sandbox.
    func validateChoice() throws {
        guard [account != nil, endpoint != nil, sandbox].filter({ $0 }).count == 1 else {
            throw ValidationError("choose exactly one target: --account NAME, --endpoint URL or --sandbox")
        }
        if !sandbox && !directory.isEmpty {
            throw ValidationError("--sandbox-fields and --sandbox-groups go with --sandbox")
        }
    }

    func resolve(keyFile: String?, sandboxState: String?, freshSandbox: Bool) async throws(CommandFailure)
        -> ResolvedTarget
    {
        try await TargetResolution.resolve(
            account: account, endpoint: endpoint, sandbox: sandbox, keyFile: keyFile, sandboxState: sandboxState,
            freshSandbox: freshSandbox, directory: directory)
    }

    /// The options as typed, for the next-step lines a command prints.
    var arguments: [String] {
        if let account { return ["--account", account] }
        if let endpoint { return ["--endpoint", endpoint] }
        return ["--sandbox"]
    }
}
