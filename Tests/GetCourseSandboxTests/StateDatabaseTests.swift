import Foundation
import GRDB
import Testing

@testable import GetCourseSandbox

/// The `--state` database: what a sandbox killed between calls restarts on, and lookups that stay indexed.
@Suite struct StateDatabaseTests {
    /// Calls of every kind that change the account: new and refreshed users, phone-only, partners, group
    /// replacement, orders with and without a number, an order update, refused rows and keys.
    static func mixedCalls(_ sandbox: SandboxHarness) async throws {
        for index in 0..<12 {
            let user =
                #"{"user":{"email":"u\#(index)@example.com","first_name":"Имя \#(index)","group_name":["G\#(index % 3)"]},"#
                + #""system":{"refresh_if_exists":1},"session":{"utm_source":"s\#(index)"}}"#
            _ = try? await sandbox.importCall(json: user)
        }
        _ = try? await sandbox.importCall(json: #"{"user":{"phone":"+7 900 123-45-67"}}"#)
        _ = try? await sandbox.importCall(
            json: #"{"user":{"email":"ref@example.com"},"session":{"gcpc":"u1@example.com"}}"#)
        _ = try? await sandbox.importCall(json: #"{"user":{"email":"bad"}}"#)
        _ = try? await sandbox.importCall(key: "wrong", json: #"{"user":{"email":"x@example.com"}}"#)
        _ = try? await sandbox.importCall(action: "update", json: #"{"user":{"id":100000003,"group_name":["Z"]}}"#)
        for index in 0..<6 {
            let number = index % 2 == 0 ? #""deal_number":"N\#(index / 2)","# : ""
            let deal =
                #"{"user":{"email":"u\#(index)@example.com"},"deal":{\#(number)"offer_code":"A","deal_cost":\#(index + 1),"#
                + #""deal_status":"payed","partner_email":"u1@example.com"}}"#
            _ = try? await sandbox.importCall("/pl/api/deals", json: deal)
        }
        _ = try? await sandbox.importCall(
            "/pl/api/deals", json: #"{"user":{"email":"u0@example.com"},"deal":{"deal_number":"N0","deal_cost":99}}"#)
    }

    /// Killed and restarted: the same users, deals, groups, counters and id sequences.
    @Test(arguments: [0.0, 0.4])
    func restartAfterAKillHasExactlyTheSameState(dropRate: Double) async throws {
        let path = StateFileImage.temporaryPath("kill")
        defer { StateFileImage.remove(path) }
        try await SandboxHarness.with(SandboxConfiguration(statePath: path, seed: 7, dropRate: dropRate)) { sandbox in
            try await Self.mixedCalls(sandbox)
            #expect(FileManager.default.fileExists(atPath: SandboxStateFiles(statePath: path).writeAheadLog))
            let killed = try StateFileImage.copy(of: path)
            defer { StateFileImage.remove(killed) }
            let (snapshot, sequences) = try StateFileImage.restart(killed)
            let live = try #require(sandbox.server.snapshot())
            #expect(snapshot == live)
            #expect(sequences == sandbox.server.sequences)
            #expect(live.summary.users >= 10 && live.summary.deals >= 1 && live.summary.groups >= 3)
            #expect(live.requests["/pl/api/users"]?.requests == 17)
            if dropRate > 0 { #expect((live.requests["/pl/api/users"]?.outcomes["dropped"] ?? 0) > 0) }
        }
    }

    @Test func resetIsKept() async throws {
        let path = StateFileImage.temporaryPath("reset")
        defer { StateFileImage.remove(path) }
        try await SandboxHarness.with(SandboxConfiguration(statePath: path)) { sandbox in
            try await Self.mixedCalls(sandbox)
            _ = try await sandbox.send("/__sandbox/reset", body: "")
            _ = try await sandbox.importResult(json: #"{"user":{"email":"after@example.com"}}"#)
            let killed = try StateFileImage.copy(of: path)
            defer { StateFileImage.remove(killed) }
            let (snapshot, sequences) = try StateFileImage.restart(killed)
            #expect(snapshot == sandbox.server.snapshot())
            #expect(snapshot?.users.map(\.email) == ["after@example.com"])
            #expect(snapshot?.users.first?.id == 100_000_001)
            #expect(sequences == sandbox.server.sequences)
        }
    }

    /// Every lookup a call makes goes through an index, so a call costs the same on a large account as on
    /// an empty one (memory stays flat too: only the rows of the call are loaded).
    @Test func lookupsUseIndexes() throws {
        let path = StateFileImage.temporaryPath("plans")
        defer { StateFileImage.remove(path) }
        let store = try StateStore(path: path)
        defer { store.close() }
        let lookups = [
            RecordRows.userByEmail, RecordRows.userByPhone, RecordRows.userById, RecordRows.membershipsOfUser,
            RecordRows.dealByNumber, RecordRows.membersOfGroup,
        ]
        for sql in lookups {
            let plan = try #require(store.queryPlan(sql))
            #expect(!plan.contains("SCAN"), "\(sql): \(plan)")
        }
    }

    /// 5,000 users through the store's own calls, then a restart: all there, and found by email, phone and
    /// id as before.
    @Test func manyUsersSurviveARestartAndAreFound() throws {
        let path = StateFileImage.temporaryPath("many")
        defer { StateFileImage.remove(path) }
        let store = try StateStore(path: path)
        for index in 0..<5_000 { store.addUser(index, group: index % 10 == 0 ? "Tens" : nil) }
        store.close()
        let restarted = try StateStore(path: path)
        defer { restarted.close() }
        let found = restarted.read { state in
            [
                state.userIndex(email: " USER4321@example.com"), state.userIndex(phone: "+7 (900) 1004321"),
                state.userIndex(id: 100_004_322),
            ]
        }
        #expect(found == [100_004_322, 100_004_322, 100_004_322])
        let snapshot = try #require(restarted.snapshot())
        #expect(snapshot.summary.users == 5_000)
        #expect(snapshot.users.filter { !$0.groups.isEmpty }.count == 500)
        #expect(snapshot.requests["/pl/api/users"]?.outcomes["ok"] == 5_000)
    }
}

extension StateStore {
    /// SQLite's plan for a statement, as `EXPLAIN QUERY PLAN` details it.
    func queryPlan(_ sql: String) -> String? {
        read { state in
            let rows = try? Row.fetchAll(state.db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [0])
            return rows?.map { $0["detail"] as String? ?? "" }.joined(separator: "; ")
        } ?? nil
    }
}
