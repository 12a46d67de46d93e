import ArgumentParser
import CBuildInfo
import GCImportKit

/// The `gcimport` command: a thin layer that parses arguments and hands the work to GCImportKit.
@main
struct GCImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gcimport",
        abstract: "Import users and orders from CSV files into GetCourse through its import API.",
        discussion: """
            Typical migration: `inspect` the file, `mapping init` a mapping, `validate` every row (a dry run), \
            rehearse with `run --sandbox`, `check` the mapping against the account, then `run --account NAME` \
            for real. Interrupted runs resume when the same command is run again. Afterwards `verify` compares \
            the ledger with what landed in the account; `report`, `failed` and `retry` work from the ledger.
            """,
        version: versionLine,
        subcommands: [
            Inspect.self,
            Validate.self,
            MappingCommand.self,
            Check.self,
            Run.self,
            Retry.self,
            Verify.self,
            Report.self,
            Failed.self,
            Sandbox.self,
        ]
    )
}

extension GCImportCommand {
    /// `0.1.0`, and `0.1.0 (commit 1a2b3c4d5e6f)` for a binary built by `make dist`.
    static var versionLine: String {
        let commit = String(cString: gcimport_build_commit())
        return commit.isEmpty ? GCImportVersion.current : "\(GCImportVersion.current) (commit \(commit))"
    }
}
