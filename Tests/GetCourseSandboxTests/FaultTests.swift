import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import GetCourseSandbox

/// The fault knobs, each over real HTTP.
@Suite struct FaultTests {
    let user = #"{"user":{"email":"f@example.com"}}"#

    @Test func latencyDelaysWithoutBlockingTheLoop() async throws {
        // One event loop thread: if the delay were slept, eight calls (the client's connections) would take
        // at least 8 × 5 s, one after another. Served together they take 5 s and some; the bound sits just
        // under the serial time, because a loaded machine has stretched the concurrent case to 6× its latency.
        let configuration = SandboxConfiguration(latencyMilliseconds: 5000, threads: 1)
        try await SandboxHarness.with(configuration) { sandbox in
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await sandbox.importCall(json: #"{"user":{"email":"l\#(index)@example.com"}}"#).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(4990))
            #expect(elapsed < .seconds(39), "calls were served one after another: \(elapsed)")
        }
    }

    @Test func jitterStaysInRangeAndFollowsTheSeed() {
        let configuration = SandboxConfiguration(seed: 42, latencyMilliseconds: 100, jitterMilliseconds: 50)
        let first = (0..<200).map { _ in FaultPlan(configuration: configuration) }.map { $0.next() }
        let plan = FaultPlan(configuration: configuration)
        let delays = (0..<200).map { _ in plan.next().delay }
        #expect(delays.allSatisfy { $0 >= .milliseconds(50) && $0 <= .milliseconds(150) })
        #expect(Set(delays.map(\.nanoseconds)).count > 20)
        // Every fresh plan with the same seed starts the same way.
        #expect(Set(first.map(\.delay.nanoseconds)).count == 1)
    }

    @Test func failRateAnswers500AndChangesNothing() async throws {
        try await SandboxHarness.with(SandboxConfiguration(failRate: 1)) { sandbox in
            let reply = try await sandbox.importCall(json: user)
            #expect(reply.status == 500)
            let state = try await sandbox.state()
            #expect(state["summary"]?["users"] == 0)
            #expect(state["requests"]?["/pl/api/users"]?["outcomes"]?["http_500"] == 1)
        }
    }

    @Test func dropRateAppliesTheChangeThenClosesUnanswered() async throws {
        try await SandboxHarness.with(SandboxConfiguration(dropRate: 1)) { sandbox in
            await #expect(throws: (any Error).self) {
                _ = try await sandbox.importCall(json: user)
            }
            let state = try await sandbox.state()
            #expect(state["summary"]?["users"] == 1)
            #expect(state["requests"]?["/pl/api/users"]?["outcomes"]?["dropped"] == 1)
        }
    }

    @Test func faultsAreDeterministicUnderASeed() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            var result: [Int] = []
            try await SandboxHarness.with(SandboxConfiguration(seed: seed, failRate: 0.5)) { sandbox in
                for index in 0..<24 {
                    result.append(
                        try await sandbox.importCall(json: #"{"user":{"email":"d\#(index)@example.com"}}"#).status)
                }
            }
            return result
        }
        let first = try await statuses(seed: 7)
        #expect(first.contains(500) && first.contains(200))
        #expect(try await statuses(seed: 7) == first)
        #expect(try await statuses(seed: 8) != first)
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        try await SandboxHarness.with(SandboxConfiguration(rateLimitPerSecond: 2)) { sandbox in
            // Six calls at once: sent one by one, a loaded machine can space them out enough to refill the
            // bucket between them.
            let replies = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let reply = try await sandbox.importCall(json: #"{"user":{"email":"r\#(index)@example.com"}}"#)
                        return (reply.status, reply.headers.first(name: "retry-after"))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let statuses = replies.map(\.0)
            let retryAfter = replies.filter { $0.0 == 429 }.map { $0.1 ?? "" }
            #expect(statuses.filter { $0 == 200 }.count >= 2)
            #expect(statuses.contains(429))
            #expect(retryAfter.allSatisfy { (Int($0) ?? 0) >= 1 })
            let state = try await sandbox.state()
            #expect(state["summary"]?["users"]?.int == statuses.filter { $0 == 200 }.count)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await sandbox.importCall(json: user).status == 200)
        }
    }

    @Test func allowanceStopsCreationsButNotUpdates() async throws {
        try await SandboxHarness.with(SandboxConfiguration(allowance: 2)) { sandbox in
            _ = try await sandbox.importResult(json: #"{"user":{"email":"a1@example.com"}}"#)
            _ = try await sandbox.importResult(json: #"{"user":{"email":"a2@example.com"}}"#)
            let third = try await sandbox.importCall(json: #"{"user":{"email":"a3@example.com"}}"#)
            #expect(try third.json == .object([("success", false), ("error", "Достигнут лимит")]))
            let update = try await sandbox.importResult(
                json: #"{"user":{"email":"a1@example.com","city":"Тверь"},"system":{"refresh_if_exists":1}}"#
            )
            #expect(update["user_status"] == "updated")
            let deal = try await sandbox.importCall(
                "/pl/api/deals", json: #"{"user":{"email":"a1@example.com"},"deal":{"offer_code":"A","deal_cost":1}}"#
            )
            #expect(try deal.json["error"] == "Достигнут лимит")
            #expect(try await sandbox.state()["summary"]?["users"] == 2)
        }
    }

    @Test func emptyBodyAnswers200WithNothing() async throws {
        try await SandboxHarness.with(SandboxConfiguration(emptyBody: true)) { sandbox in
            let reply = try await sandbox.importCall(json: user)
            #expect(reply.status == 200)
            #expect(reply.body.isEmpty)
            #expect(try await sandbox.state()["summary"]?["users"] == 0)
        }
    }

    @Test func redirectPointsAtTheNewDomainAndAFollowedPostBecomesEmptyAction() async throws {
        try await SandboxHarness.with { target in
            let configuration = SandboxConfiguration(redirectTo: target.server.baseURL + "/")
            try await SandboxHarness.with(configuration) { moved in
                let reply = try await moved.importCall(json: user)
                #expect(reply.status == 301)
                let location = try #require(reply.headers.first(name: "location"))
                #expect(location == target.server.baseURL + "/pl/api/users")
                // What a client that follows the 301 the usual way (POST turned GET) gets.
                var request = HTTPClientRequest(url: location)
                request.method = .GET
                let followed = try await moved.client.execute(request, timeout: .seconds(5))
                let body = try await followed.body.collect(upTo: 1 << 20)
                #expect(try JSONParser.parse(Array(buffer: body))["error"] == "Пустой параметр action")
            }
        }
    }

    @Test func wrongSubdomainIs404() async throws {
        try await SandboxHarness.with(SandboxConfiguration(wrongSubdomain: true)) { sandbox in
            let reply = try await sandbox.importCall(json: user)
            #expect(reply.status == 404)
            #expect(reply.text == "Wrong subdomain")
        }
    }

    @Test func requireHTTPSRefusesPlainCalls() async throws {
        try await SandboxHarness.with(SandboxConfiguration(requireHTTPS: true)) { sandbox in
            let reply = try await sandbox.importCall(json: user)
            #expect(try reply.json == .object([("success", false), ("error", "Доступ возможен только по https")]))
        }
    }

    @Test func adminPathsAreExemptFromFaults() async throws {
        try await SandboxHarness.with(SandboxConfiguration(failRate: 1, emptyBody: true)) { sandbox in
            let state = try await sandbox.get("/__sandbox/state")
            #expect(state.status == 200)
            #expect(try state.json["summary"]?["users"] == 0)
        }
    }
}
