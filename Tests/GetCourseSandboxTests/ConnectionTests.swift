import Foundation
import Testing

@testable import GetCourseSandbox

/// HTTP details real clients rely on: 100-continue, pipelining, `Connection: close`, shutdown.
@Suite struct ConnectionTests {
    @Test func expectContinueGetsAGoAheadAndTheAnswer() async throws {
        try await SandboxHarness.with { sandbox in
            let port = sandbox.server.port
            let reply = try await Task.detached {
                try RawHTTP.exchange(
                    port: port,
                    RawHTTP.usersAdd(email: "c@example.com", headers: ["Expect: 100-continue", "Connection: close"])
                )
            }.value
            #expect(reply.hasPrefix("HTTP/1.1 100 Continue\r\n"))
            #expect(reply.contains("HTTP/1.1 200 OK"))
            #expect(reply.contains(#""user_status":"added""#))
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await SandboxHarness.with(SandboxConfiguration(latencyMilliseconds: 50, jitterMilliseconds: 40)) {
            sandbox in
            let port = sandbox.server.port
            let requests =
                (0..<3).map { RawHTTP.usersAdd(email: "p\($0)@example.com") }.joined()
                + RawHTTP.usersAdd(email: "p3@example.com", headers: ["Connection: close"])
            let reply = try await Task.detached { try RawHTTP.exchange(port: port, requests) }.value
            let ids = reply.split(separator: "\"user_id\":").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
            #expect(ids.count == 4)
            #expect(ids == ids.sorted())
            #expect(reply.components(separatedBy: "HTTP/1.1 200 OK").count == 5)
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await SandboxHarness.with { sandbox in
            let port = sandbox.server.port
            // Without the server closing, the read would only end at the 60 s timeout; the bound is far from
            // both, so a loaded machine cannot make it flaky.
            let start = ContinuousClock.now
            let reply = try await Task.detached {
                try RawHTTP.exchange(
                    port: port, RawHTTP.usersAdd(email: "x@example.com", headers: ["Connection: close"]), timeout: 60)
            }.value
            #expect(reply.contains("Connection: close"))
            #expect(ContinuousClock.now - start < .seconds(30))
        }
    }

    @Test func droppedCallClosesWithoutAnyBytes() async throws {
        try await SandboxHarness.with(SandboxConfiguration(dropRate: 1)) { sandbox in
            let port = sandbox.server.port
            let reply = try await Task.detached {
                try RawHTTP.exchange(port: port, RawHTTP.usersAdd(email: "d@example.com"))
            }
            .value
            #expect(reply.isEmpty)
            #expect(sandbox.server.snapshot()?.summary.users == 1)
        }
    }

    @Test func shutdownIsIdempotentAndFreesThePort() async throws {
        let server = SandboxServer(configuration: SandboxConfiguration())
        try await server.start()
        let port = server.port
        try await server.shutdown()
        try await server.shutdown()
        #expect(server.port == 0)
        // The same port can be bound again at once.
        let again = SandboxServer(configuration: SandboxConfiguration(port: port))
        try await again.start()
        #expect(again.port == port)
        try await again.shutdown()
    }
}
