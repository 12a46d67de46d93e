import Testing

@testable import GetCourseSandbox

/// Many connections at once: the state lock makes each call atomic, so idempotency holds under load.
@Suite struct ConcurrencyTests {
    @Test func sameEmailFromManyConnectionsMakesOneUser() async throws {
        try await SandboxHarness.with(SandboxConfiguration(threads: 4)) { sandbox in
            let statuses = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await sandbox.importResult(json: #"{"user":{"email":"same@example.com"}}"#)["user_status"]?
                            .string ?? ""
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == "added" }.count == 1)
            #expect(statuses.filter { $0 == "exists" }.count == 39)
            let state = try await sandbox.state()
            #expect(state["summary"]?["users"] == 1)
            #expect(state["requests"]?["/pl/api/users"]?["outcomes"]?["ok"] == 40)
        }
    }

    @Test func dealsWithoutNumberFromManyConnectionsAllLand() async throws {
        try await SandboxHarness.with(SandboxConfiguration(threads: 4)) { sandbox in
            let ids = try await withThrowingTaskGroup(of: Int?.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let json =
                            #"{"user":{"email":"buyer\#(index % 4)@example.com"},"deal":{"offer_code":"A","deal_cost":1},"#
                            + #""system":{"return_deal_number":1}}"#
                        return try await sandbox.importResult("/pl/api/deals", json: json)["deal_number"]?.int
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(ids.compactMap { $0 }).count == 40)
            let state = try await sandbox.state()
            #expect(state["summary"]?["deals"] == 40)
            #expect(state["summary"]?["users"] == 4)
            #expect(state["deals_per_email"] == .object((0..<4).map { ("buyer\($0)@example.com", 10) }))
        }
    }
}
