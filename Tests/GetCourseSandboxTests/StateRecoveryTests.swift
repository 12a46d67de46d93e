import Foundation
import GRDB
import Testing

@testable import GetCourseSandbox

/// What the state database refuses, and what a failed call leaves: nothing.
@Suite struct StateRecoveryTests {
    /// A call whose write fails (here an order number already taken, which the table refuses) is rolled
    /// back whole: no user, no order, no id used, no counter; the next call goes on normally.
    @Test func aFailedCallLeavesNoTrace() throws {
        let path = StateFileImage.temporaryPath("rollback")
        defer { StateFileImage.remove(path) }
        let store = try StateStore(path: path)
        defer { store.close() }
        func addDeal(number: String) -> Int? {
            store.update { state in
                let owner = state.insertUser { id in
                    SandboxUser(
                        id: id, email: "owner-\(number)-\(id)@example.com", technicalEmail: false, fields: [:],
                        addfields: [:], groups: [], session: [:], isPartner: false, partnerId: nil,
                        createdAt: "2026-12-01 10:00:00", updatedAt: "2026-12-01 10:00:00", updateCount: 0)
                }
                state.count(endpoint: "/pl/api/deals", outcome: "ok")
                return state.insertDeal { id in
                    SandboxDeal(
                        id: id, number: number, userId: owner, userEmail: "o@example.com", positions: [], cost: 1,
                        currency: "RUB", status: "new", isPaid: false, paymentType: nil, paymentStatus: nil,
                        managerEmail: nil, comment: nil, partnerId: nil, addfields: [:], session: [:],
                        createdAt: "2026-12-01 10:00:00", finishedAt: nil, updatedAt: "2026-12-01 10:00:00",
                        updateCount: 0)
                }
            }
        }
        #expect(addDeal(number: "N1") == 300_000_001)
        let before = (store.snapshot(), store.read { $0.totals.sequences })
        #expect(addDeal(number: "N1") == nil)
        #expect(store.snapshot() == before.0)
        #expect(store.read { $0.totals.sequences } == before.1)
        #expect(addDeal(number: "N2") == 300_000_002)
        #expect(store.snapshot()?.summary.deals == 2)
        #expect(store.snapshot()?.requests["/pl/api/deals"]?.requests == 2)
    }

    /// A call the store cannot write is answered 500, never a success the account does not hold.
    @Test func aCallThatCannotBeWrittenIsAnswered500() async throws {
        try await SandboxHarness.with(SandboxConfiguration()) { sandbox in
            sandbox.server.store?.close()
            let reply = try await sandbox.importCall(json: #"{"user":{"email":"lost@example.com"}}"#)
            #expect(reply.status == 500)
        }
    }

    @Test func theJSONStateOfAnOlderVersionIsRefusedWithAWayOut() throws {
        let path = StateFileImage.temporaryPath("json")
        defer { StateFileImage.remove(path) }
        try Data(#"{"users":[],"deals":[]}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try StateStore(path: path)
        } throws: { error in
            String(describing: error).contains("JSON state of an older gcimport")
        }
    }

    @Test func aSecondSandboxOnTheSameStateIsRefused() throws {
        let path = StateFileImage.temporaryPath("twice")
        defer { StateFileImage.remove(path) }
        let first = try StateStore(path: path)
        defer { first.close() }
        #expect {
            try StateStore(path: path)
        } throws: { error in
            String(describing: error).contains("another sandbox is using it")
        }
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let path = StateFileImage.temporaryPath("newer")
        defer { StateFileImage.remove(path) }
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "PRAGMA user_version = 99") }
        try queue.close()
        #expect {
            try StateStore(path: path)
        } throws: { error in
            String(describing: error).contains("schema version 99")
        }
    }

    /// SQLite folds its log in on a clean stop; `removeAll` starts a new account.
    @Test func cleanShutdownLeavesOnlyTheDatabase() async throws {
        let path = StateFileImage.temporaryPath("clean")
        defer { StateFileImage.remove(path) }
        let files = SandboxStateFiles(statePath: path)
        var live: SandboxSnapshot?
        try await SandboxHarness.with(SandboxConfiguration(statePath: path)) { sandbox in
            try await StateDatabaseTests.mixedCalls(sandbox)
            #expect(FileManager.default.fileExists(atPath: files.writeAheadLog))
            live = sandbox.server.snapshot()
        }
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: files.writeAheadLog))
        #expect(try StateFileImage.restart(path).0 == live)

        try files.removeAll()
        #expect(try StateFileImage.restart(path).0?.summary.users == 0)
    }
}
