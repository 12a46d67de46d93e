import Foundation
import Testing

@testable import GetCourseSandbox

/// The admin endpoints, request counters and the `--state` file.
@Suite struct StateTests {
    @Test func stateShowsSummaryAndPerEndpointCounts() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.importResult(json: #"{"user":{"email":"a@example.com"}}"#)
            _ = try await sandbox.importCall(json: #"{"user":{}}"#)
            _ = try await sandbox.importCall(key: "bad", json: #"{"user":{"email":"a@example.com"}}"#)
            let state = try await sandbox.state()
            #expect(state["summary"]?["users"] == 1)
            #expect(state["summary"]?["requests"] == 3)
            let users = try #require(state["requests"]?["/pl/api/users"])
            #expect(users["requests"] == 3)
            #expect(users["outcomes"] == .object([("action_error", 1), ("call_error", 1), ("ok", 1)]))
            #expect(sandbox.server.snapshot()?.summary.users == 1)
        }
    }

    @Test func resetEmptiesTheAccount() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.importResult(json: #"{"user":{"email":"a@example.com","group_name":["G"]}}"#)
            let reply = try await sandbox.send("/__sandbox/reset", body: "")
            #expect(try reply.json["success"] == true)
            let state = try await sandbox.state()
            #expect(
                state["summary"]
                    == .object([
                        ("created_objects", 0), ("deals", 0), ("groups", 0), ("requests", 0), ("users", 0),
                    ]))
        }
    }

    @Test func stateFileSurvivesARestart() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("sandbox-state-\(UInt64.random(in: 0...UInt64.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = SandboxConfiguration(statePath: path)
        var firstId: Int?
        try await SandboxHarness.with(configuration) { sandbox in
            let result = try await sandbox.importResult(
                json: #"{"user":{"email":"keep@example.com","addfields":{"Telegram":"@k"},"group_name":["G"]}}"#
            )
            firstId = result["user_id"]?.int
            _ = try await sandbox.importResult(
                "/pl/api/deals", json: #"{"user":{"email":"keep@example.com"},"deal":{"offer_code":"A","deal_cost":1}}"#
            )
        }
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
        try await SandboxHarness.with(configuration) { sandbox in
            let again = try await sandbox.importResult(json: #"{"user":{"email":"KEEP@example.com"}}"#)
            #expect(again["user_status"] == "exists")
            #expect(again["user_id"]?.int == firstId)
            let next = try await sandbox.importResult(json: #"{"user":{"email":"new@example.com"}}"#)
            #expect((next["user_id"]?.int ?? 0) > (firstId ?? .max))
            let state = try await sandbox.state()
            #expect(state["summary"]?["deals"] == 1)
            #expect(state["users"]?.arrayElements?.first?["addfields"]?["Telegram"] == "@k")
        }
    }

    @Test func corruptStateFileIsRefused() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("sandbox-corrupt-\(UInt64.random(in: 0...UInt64.max)).json").path
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = SandboxServer(configuration: SandboxConfiguration(statePath: path))
        await #expect(throws: SandboxError.self) { try await server.start() }
    }

    @Test func invalidConfigurationIsRefused() async throws {
        let server = SandboxServer(configuration: SandboxConfiguration(failRate: 2))
        await #expect(throws: SandboxError.self) { try await server.start() }
    }

    @Test func serverReportsPortAndBaseURL() async throws {
        try await SandboxHarness.with { sandbox in
            #expect(sandbox.server.port > 0)
            #expect(sandbox.server.baseURL == "http://127.0.0.1:\(sandbox.server.port)")
        }
    }
}
