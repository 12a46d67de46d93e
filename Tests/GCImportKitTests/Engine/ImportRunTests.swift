import Foundation
import TestSupport
import Testing

@testable import GCImportKit
@testable import GetCourseSandbox

@Suite struct ImportRunTests {
    @Test func usersLandOnceAndEveryRowIsOk() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("users.csv", RunBench.usersCSV(60))
            let mapping = try bench.write("users.yaml", RunBench.usersMapping)
            let summary = try await bench.run(input: input, mapping: mapping)
            #expect(summary.stopReason == nil)
            #expect(summary.rows == 60)
            #expect(summary.counts.ok == 60)
            #expect(summary.allDone)
            #expect(summary.problems.isEmpty)
            let state = try #require(bench.sandbox.snapshot())
            #expect(state.summary.users == 60)
            let ledger = try String(contentsOfFile: input + ".ledger.jsonl", encoding: .utf8)
            #expect(ledger.contains(#""user_id":"#))
            #expect(try bench.ledgerStates(input + ".ledger.jsonl").values.allSatisfy { $0 == .ok })
        }
    }

    @Test func dealsWithNumbersRecordTheirIds() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("deals.csv", RunBench.dealsCSV(25))
            let mapping = try bench.write("deals.yaml", RunBench.dealsMapping)
            let summary = try await bench.run(input: input, mapping: mapping)
            #expect(summary.counts.ok == 25)
            let state = try #require(bench.sandbox.snapshot())
            #expect(state.summary.deals == 25)
            #expect(state.dealsPerEmail.values.allSatisfy { $0 == 1 })
            let ledger = try String(contentsOfFile: input + ".ledger.jsonl", encoding: .utf8)
            #expect(ledger.contains(#""deal_id":"#))
        }
    }

    @Test func userGroupsReplaceGroupsByUserId() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let users = try bench.write("users.csv", RunBench.usersCSV(5))
            let usersMapping = try bench.write("users.yaml", RunBench.usersMapping)
            #expect(try await bench.run(input: users, mapping: usersMapping).counts.ok == 5)
            let ids = try #require(bench.sandbox.snapshot()).users.map(\.id)
            var csv = "id,groups\n"
            for id in ids { csv += "\(id),\"Выпускники, VIP\"\n" }
            let input = try bench.write("groups.csv", csv)
            let mapping = try bench.write(
                "groups.yaml",
                "kind: user_groups\nfields:\n  user.id: id\n  user.group_name: {column: groups, split: \",\"}\n")
            let summary = try await bench.run(input: input, mapping: mapping)
            #expect(summary.counts.ok == 5)
            let state = try #require(bench.sandbox.snapshot())
            for user in state.users {
                #expect(Set(user.groups.map(\.name)) == ["Выпускники", "VIP"])
            }
        }
    }

    @Test func invalidAndSkippedRowsAreRecordedWithoutSending() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write(
                "users.csv", "Email;Имя;Группа\na@example.com;A;G\nnot-an-email;B;G\n;C;G\nd@example.com;D;G\n")
            let mapping = try bench.write(
                "users.yaml",
                """
                kind: user
                skip:
                  - {column: Email, empty: true}
                fields:
                  user.email: {column: Email, transforms: [email]}
                  user.first_name: Имя
                """)
            let summary = try await bench.run(input: input, mapping: mapping)
            #expect(summary.counts.ok == 2)
            #expect(summary.counts.invalid == 1)
            #expect(summary.counts.skipped == 1)
            #expect(!summary.allDone)
            #expect(try #require(bench.sandbox.snapshot()).summary.requests == 2)
        }
    }

    @Test func transientFailuresAreRetriedUntilEveryRowIsOk() async throws {
        let bench = try await RunBench(SandboxConfiguration(seed: 7, failRate: 0.2))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("users.csv", RunBench.usersCSV(150))
            let mapping = try bench.write("users.yaml", RunBench.usersMapping)
            // 12 attempts: a row failing 12 times in a row at 20% is a one-in-4-billion event.
            let summary = try await bench.run(input: input, mapping: mapping) { $0.maxAttempts = 12 }
            #expect(summary.counts.ok == 150)
            #expect(summary.calls > 150)
            #expect(try #require(bench.sandbox.snapshot()).summary.users == 150)
        }
    }

    @Test func droppedAnswersAreResentOnlyWhenIdempotent() async throws {
        let bench = try await RunBench(SandboxConfiguration(seed: 3, dropRate: 0.1))
        try await withCleanup(bench) { () async throws in
            let users = try bench.write("users.csv", RunBench.usersCSV(120))
            let usersMapping = try bench.write("users.yaml", RunBench.usersMapping)
            let userSummary = try await bench.run(input: users, mapping: usersMapping) { $0.maxAttempts = 12 }
            #expect(userSummary.counts.ok == 120)
            #expect(try #require(bench.sandbox.snapshot()).summary.users == 120)

            let deals = try bench.write("deals.csv", RunBench.dealsCSV(120))
            let dealsMapping = try bench.write("deals.yaml", RunBench.numberlessDealsMapping)
            let dealSummary = try await bench.run(input: deals, mapping: dealsMapping) { $0.maxAttempts = 12 }
            let state = try #require(bench.sandbox.snapshot())
            let dropped = state.requests["/pl/api/deals"]?.outcomes["dropped"] ?? 0
            #expect(dropped > 0)
            #expect(dealSummary.counts.unknown == dropped)
            #expect(dealSummary.counts.ok + dealSummary.counts.unknown == 120)
            // Each number-less deal was sent exactly once: no buyer has two orders.
            #expect(state.summary.deals == 120)
            #expect(state.dealsPerEmail.values.allSatisfy { $0 == 1 })
        }
    }

    @Test func tooManyRequestsPausesEveryoneAndEndsOk() async throws {
        // A limit of 2/s: eight unthrottled workers exceed it at once even when the whole suite runs in
        // parallel on two loaded cores (at 40/s they sometimes never did, and no 429 came).
        let bench = try await RunBench(SandboxConfiguration(rateLimitPerSecond: 2))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("users.csv", RunBench.usersCSV(12))
            let mapping = try bench.write("users.yaml", RunBench.usersMapping)
            let summary = try await bench.run(input: input, mapping: mapping) { $0.workers = 8 }
            #expect(summary.counts.ok == 12)
            let state = try #require(bench.sandbox.snapshot())
            #expect((state.requests["/pl/api/users"]?.outcomes["http_429"] ?? 0) > 0)
            let ledger = try String(contentsOfFile: input + ".ledger.jsonl", encoding: .utf8)
            #expect(ledger.contains(#""http_status":429"#))
        }
    }
}
