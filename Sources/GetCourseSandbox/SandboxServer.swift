import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A local stand-in for a GetCourse account's import and export APIs, on loopback HTTP.
///
/// ```swift
/// let server = SandboxServer(configuration: SandboxConfiguration())
/// try await server.start()
/// // POST \(server.baseURL)/pl/api/users  action=add&key=sandbox-key&params=…
/// try await server.shutdown()
/// ```
package final class SandboxServer: Sendable {
    package let configuration: SandboxConfiguration

    private struct Running {
        var group: MultiThreadedEventLoopGroup
        var channel: any Channel
        var port: Int
    }

    private let running = Mutex<Running?>(nil)
    private let router: Mutex<SandboxRouter?> = Mutex(nil)

    /// A server not yet listening; `start()` binds it.
    package init(configuration: SandboxConfiguration = SandboxConfiguration()) {
        self.configuration = configuration
    }

    /// Opens the state database (a temporary one without `--state`), binds, and starts serving. After it
    /// returns, ``port`` and ``baseURL`` are valid.
    package func start() async throws {
        try configuration.validate()
        // Before the store opens the database: its lock would refuse this server's own second start.
        guard running.withLock({ $0 == nil }) else { throw SandboxError.alreadyRunning }
        let store = try StateStore(path: configuration.statePath)
        if !configuration.groups.isEmpty { _ = store.update { $0.seed(groups: configuration.groups) } }
        let router = SandboxRouter(configuration: configuration, store: store)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(SandboxHTTPHandler(router: router))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            try? await group.shutdownGracefully()
            store.close()
            throw error
        }
        let port = channel.localAddress?.port ?? configuration.port
        let started = running.withLock { running in
            guard running == nil else { return false }
            running = Running(group: group, channel: channel, port: port)
            return true
        }
        guard started else {
            try? await channel.close()
            try? await group.shutdownGracefully()
            store.close()
            throw SandboxError.alreadyRunning
        }
        self.router.withLock { $0 = router }
        SandboxLog.logger.debug("sandbox listening", metadata: ["sandbox.url": "\(baseURL)"])
    }

    /// The bound port (the one picked when the configuration asked for 0); 0 before `start()`.
    package var port: Int { running.withLock { $0?.port ?? 0 } }

    /// `http://HOST:PORT`, the base every API path is appended to.
    package var baseURL: String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)"
    }

    /// The account's state now (what `GET /__sandbox/state` answers), for in-process tests.
    package func snapshot() -> SandboxSnapshot? {
        router.withLock { $0?.store.snapshot() } ?? nil
    }

    /// The running account's store (nil when stopped), for in-module tests.
    var store: StateStore? {
        router.withLock { $0?.store }
    }

    /// Empties the account, as `POST /__sandbox/reset` does.
    package func reset() {
        router.withLock { $0?.reset() }
    }

    /// Stops listening, closes open connections, stops the event loops and closes the state database (SQLite
    /// folds its log into the file). Safe to call twice.
    package func shutdown() async throws {
        guard
            let current = running.withLock({ running in
                defer { running = nil }
                return running
            })
        else { return }
        try? await current.channel.close()
        try await current.group.shutdownGracefully()
        let stopped = router.withLock { router in
            defer { router = nil }
            return router
        }
        // No call can arrive any more: SQLite folds its log into the database, so a clean stop leaves one file.
        stopped?.store.close()
    }
}
