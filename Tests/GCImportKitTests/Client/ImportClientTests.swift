import Foundation
import Synchronization
import Testing

@testable import GCImportKit
@testable import GetCourseSandbox

/// The client over a real loopback socket, against the sandbox.
@Suite struct ImportClientTests {
    private let payload = ImportPayload(
        row: 1, line: 2, kind: .user, params: Array(#"{"user":{"email":"a@example.com"}}"#.utf8),
        email: "a@example.com", dealNumber: nil)

    private func send(_ configuration: SandboxConfiguration, key: String? = nil, timeout: Double = 5) async throws
        -> CallResult
    {
        let server = SandboxServer(configuration: configuration)
        try await server.start()
        let client = ImportClient(
            target: .sandbox(baseURL: server.baseURL), key: APIKey(secret: key ?? configuration.key),
            configuration: ImportClientConfiguration(connections: 1, timeout: timeout, connectTimeout: 2))
        let result = await Self.blocking { client.send(payload) }
        await Self.blocking { client.shutdown() }
        try await server.shutdown()
        return result
    }

    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "test.blocking").async { continuation.resume(returning: work()) }
        }
    }

    @Test func okCarriesTheUserId() async throws {
        let result = try await send(SandboxConfiguration())
        #expect(result.httpStatus == 200)
        guard case .ok(let userID, _, _) = result.outcome else { return #expect(Bool(false)) }
        #expect(userID != nil)
    }

    @Test func badKeyIsUnauthorized() async throws {
        let result = try await send(SandboxConfiguration(), key: "nope")
        guard case .fatal(let refusal) = result.outcome else { return #expect(Bool(false)) }
        #expect(refusal.reason == .unauthorized)
    }

    @Test func serverErrorIsFailed() async throws {
        let result = try await send(SandboxConfiguration(failRate: 1))
        guard case .failed(_, _, let pushback) = result.outcome else { return #expect(Bool(false)) }
        #expect(result.httpStatus == 500)
        #expect(!pushback)
    }

    @Test func droppedConnectionAfterTheRequestIsUnknown() async throws {
        let result = try await send(SandboxConfiguration(dropRate: 1))
        guard case .unknown = result.outcome else { return #expect(Bool(false), "got \(result.outcome)") }
    }

    @Test func everyDroppedCallIsUnknownUnderConcurrency() async throws {
        // The server acts on a call as soon as its body is in, then hangs up. Read as "not sent", such a
        // call would be resent, and a number-less deal doubled: before the fix about 1 call in 300 was.
        let server = SandboxServer(configuration: SandboxConfiguration(dropRate: 1))
        try await server.start()
        let client = ImportClient(
            target: .sandbox(baseURL: server.baseURL), key: APIKey(secret: SandboxConfiguration().key),
            configuration: ImportClientConfiguration(connections: 4, timeout: 5, connectTimeout: 2))
        let (callsPerThread, threads) = (750, 4)
        let notUnknown = await Self.blocking {
            let seen = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                for _ in 0..<callsPerThread {
                    let outcome = client.send(payload).outcome
                    if case .unknown = outcome { continue }
                    seen.withLock { $0.append("\(outcome)") }
                }
            }
            client.shutdown()
            return seen.withLock { $0 }
        }
        let served = server.snapshot()?.requests["/pl/api/users"]?.outcomes["dropped"]
        try await server.shutdown()
        #expect(notUnknown.isEmpty, "\(notUnknown.count) of \(callsPerThread * threads): \(notUnknown.prefix(3))")
        #expect(served == callsPerThread * threads)
    }

    @Test func noAnswerWithinTheTimeoutIsUnknown() async throws {
        let result = try await send(SandboxConfiguration(latencyMilliseconds: 1500), timeout: 0.3)
        guard case .unknown(let message) = result.outcome else { return #expect(Bool(false), "got \(result.outcome)") }
        #expect(message.contains("no answer"))
    }

    @Test func refusedConnectionIsFailedNotUnknown() async throws {
        // A port nothing listens on: bind a sandbox, note its port, shut it down.
        let server = SandboxServer(configuration: SandboxConfiguration())
        try await server.start()
        let url = server.baseURL
        try await server.shutdown()
        let client = ImportClient(
            target: .sandbox(baseURL: url), key: APIKey(secret: "k"),
            configuration: ImportClientConfiguration(connections: 1, timeout: 2, connectTimeout: 1))
        let result = await Self.blocking { client.send(payload) }
        await Self.blocking { client.shutdown() }
        guard case .failed(let message, _, _) = result.outcome else {
            return #expect(Bool(false), "got \(result.outcome)")
        }
        #expect(message.hasPrefix("not sent"))
    }
}
