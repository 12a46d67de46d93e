import Foundation
import Testing

@testable import GetCourseSandbox

/// The `--state` journal: what a call writes, and what a sandbox killed at any moment restarts on.
@Suite struct JournalTests {
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
            let killed = try StateFileImage.copy(of: path)
            defer { StateFileImage.remove(killed) }
            #expect(!FileManager.default.fileExists(atPath: path), "the snapshot is rewritten only by compaction")
            let (snapshot, sequences) = try StateFileImage.restart(killed)
            let live = try #require(sandbox.server.snapshot())
            #expect(snapshot == live)
            #expect(sequences == sandbox.server.sequences)
            #expect(live.summary.users >= 10 && live.summary.deals >= 1 && live.summary.groups >= 3)
            #expect(live.requests["/pl/api/users"]?.requests == 17)
            if dropRate > 0 { #expect((live.requests["/pl/api/users"]?.outcomes["dropped"] ?? 0) > 0) }
        }
    }

    @Test func resetIsJournalled() async throws {
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
            #expect(snapshot.users.map(\.email) == ["after@example.com"])
            #expect(snapshot.users.first?.id == 100_000_001)
            #expect(sequences == sandbox.server.sequences)
        }
    }

    /// A call writes what it changed, whatever the size of the account: the whole-file rewrite wrote the
    /// account each time.
    @Test func aCallWritesOnlyWhatItChanged() throws {
        let path = StateFileImage.temporaryPath("size")
        defer { StateFileImage.remove(path) }
        let store = try StateStore(path: path, minimumCompactionSize: .max)
        defer { store.abandon() }
        let journal = SandboxStateFiles(statePath: path).journal
        func addUser(_ index: Int) -> Int {
            let before = StateFileImage.size(journal)
            store.addUser(index)
            return StateFileImage.size(journal) - before
        }
        let early = (0..<10).map(addUser)
        for index in 10..<5_000 { _ = addUser(index) }
        let late = (5_000..<5_010).map(addUser)
        #expect(early.allSatisfy { $0 > 0 && $0 < 1_024 })
        #expect(late.allSatisfy { $0 > 0 && $0 < 1_024 })
        // The same call on an account 500 times larger writes the same bytes, give or take longer numbers
        // (ids, positions, counters: under 40 bytes a call), where a rewrite of the account is a megabyte.
        let growth = late.reduce(0, +) - early.reduce(0, +)
        #expect(abs(growth) < 10 * 40)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(StateFileImage.lines(journal) == 5_010)
        let killed = try StateFileImage.copy(of: path)
        defer { StateFileImage.remove(killed) }
        #expect(try StateFileImage.restart(killed).0.summary.users == 5_010)
    }
}
