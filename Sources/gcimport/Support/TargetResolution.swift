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

    /// The target a ledger's header names (`sandbox`: the in-process sandbox on the state beside it).
    static func resolve(ledgerTarget: String, ledgerPath: String, keyFile: String?) async throws(CommandFailure)
        -> ResolvedTarget
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
                + "`user: Title`), so the rehearsal keeps and checks the same ones.",
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
