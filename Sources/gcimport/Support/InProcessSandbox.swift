import Foundation
import GCImportKit
import GetCourseSandbox

/// The sandbox started inside this process for `run --sandbox`: a rehearsal that sends nothing off the
/// machine. Its state is kept in a file beside the ledger, so an interrupted rehearsal resumes against the
/// same account, exactly as a real one would. It lives in the command layer so the library never links the
/// fake service.
final class InProcessSandbox: Sendable {
    let server: SandboxServer

    private init(server: SandboxServer) {
        self.server = server
    }

    /// Starts a sandbox on a free loopback port. `fresh` empties the account first (a new ledger means a new
    /// rehearsal: rows the old one created would otherwise still be there).
    ///
    /// `fieldsFile` and `groupsFile` give the rehearsal account the real account's directories (see
    /// `gcimport sandbox --fields`). They are copied beside the state, so every later sandbox of the same
    /// rehearsal (a resume, `retry`, `verify`, `check --sandbox`) has them too.
    static func start(
        statePath: String?, fresh: Bool = false, fieldsFile: String? = nil, groupsFile: String? = nil,
        configuration: SandboxConfiguration = .init()
    ) async throws -> InProcessSandbox {
        if fresh, let statePath {
            // The write-ahead log too: it holds the old rehearsal's latest rows.
            try SandboxStateFiles(statePath: statePath).removeAll()
        }
        var configuration = configuration
        configuration.statePath = statePath
        for (given, kept) in [(fieldsFile, statePath.map(fieldsPath)), (groupsFile, statePath.map(groupsPath))] {
            guard let given, let kept, given != kept else { continue }
            try? FileManager.default.removeItem(atPath: kept)
            try FileManager.default.copyItem(atPath: given, toPath: kept)
        }
        let fields = fieldsFile ?? statePath.map(fieldsPath).flatMap(existing)
        let groups = groupsFile ?? statePath.map(groupsPath).flatMap(existing)
        if let fields { configuration.fields = try AccountDirectoryFile.fields(path: fields) }
        if let groups { configuration.groups = try AccountDirectoryFile.groups(path: groups) }
        configuration.port = 0
        let server = SandboxServer(configuration: configuration)
        try await server.start()
        return InProcessSandbox(server: server)
    }

    /// Where the calls go.
    var target: ImportTarget { .sandbox(baseURL: server.baseURL) }
    /// The key the sandbox accepts.
    var key: APIKey { APIKey(secret: server.configuration.key) }

    func shutdown() async {
        try? await server.shutdown()
    }

    /// The rehearsal account's fields and groups, kept beside its state.
    static func fieldsPath(_ statePath: String) -> String { statePath + ".fields" }
    static func groupsPath(_ statePath: String) -> String { statePath + ".groups" }

    private static func existing(_ path: String) -> String? {
        FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The state file used beside a ledger.
    static func statePath(forLedger ledger: String) -> String {
        ledger + ".sandbox.sqlite"
    }
}
