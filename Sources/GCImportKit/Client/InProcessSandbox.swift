import Foundation
public import GetCourseSandbox

/// The sandbox started inside this process for `run --sandbox`: a rehearsal that sends nothing off the
/// machine. Its state is kept in a file beside the ledger, so an interrupted rehearsal resumes against the
/// same account, exactly as a real one would.
public final class InProcessSandbox: Sendable {
    public let server: SandboxServer

    private init(server: SandboxServer) {
        self.server = server
    }

    /// Starts a sandbox on a free loopback port. `fresh` empties the account first (a new ledger means a new
    /// rehearsal: rows the old one created would otherwise still be there).
    public static func start(
        statePath: String?, fresh: Bool = false, configuration: SandboxConfiguration = .init()
    ) async throws -> InProcessSandbox {
        if fresh, let statePath {
            // The journal too: replayed onto no snapshot, it would bring back the old rehearsal's rows.
            try SandboxStateFiles(statePath: statePath).removeAll()
        }
        var configuration = configuration
        configuration.statePath = statePath
        configuration.port = 0
        let server = SandboxServer(configuration: configuration)
        try await server.start()
        return InProcessSandbox(server: server)
    }

    /// Where the calls go.
    public var target: ImportTarget { .sandbox(baseURL: server.baseURL) }
    /// The key the sandbox accepts.
    public var key: APIKey { APIKey(secret: server.configuration.key) }

    public func shutdown() async {
        try? await server.shutdown()
    }

    /// The state file used beside a ledger.
    public static func statePath(forLedger ledger: String) -> String {
        ledger + ".sandbox.json"
    }
}
