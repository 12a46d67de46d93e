import Foundation
import TestSupport
import Testing

@testable import GCImportKit
@testable import GetCourseSandbox

/// Rows that share a key (the same user, the same order) reach GetCourse in file order, so the account
/// ends with the values of the last such row, through failures, lost answers, retries and resumes.
@Suite struct SameKeyOrderTests {
    /// `count` rows over `emails` addresses, each row's first name its own line number.
    private static func rotatingUsers(_ count: Int, emails: Int) -> String {
        var text = "Email;Имя;Группа\n"
        for row in 1...count { text += "user\(row % emails)@example.com;\(row + 1);Клиенты\n" }
        return text
    }

    /// The first name each email should end with: that of its last line.
    private static func lastLines(_ count: Int, emails: Int) -> [String: String] {
        var expected: [String: String] = [:]
        for row in 1...count { expected["user\(row % emails)@example.com"] = "\(row + 1)" }
        return expected
    }

    @Test func theLastLineWinsThroughFailuresAndLostAnswers() async throws {
        let bench = try await RunBench(SandboxConfiguration(seed: 12, failRate: 0.2, dropRate: 0.05))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("users.csv", Self.rotatingUsers(2000, emails: 50))
            let mapping = try bench.write("users.yaml", RunBench.usersMapping)
            var summary = try await bench.run(input: input, mapping: mapping) { $0.workers = 8 }
            // A row whose five attempts all failed is sent again by resuming, as a user would.
            for _ in 0..<5 where summary.counts.ok < 2000 {
                summary = try await bench.run(input: input, mapping: mapping) { $0.workers = 8 }
            }
            #expect(summary.counts.ok == 2000)
            let users = try #require(bench.sandbox.snapshot()).users
            #expect(users.count == 50)
            let expected = Self.lastLines(2000, emails: 50)
            for user in users {
                #expect(user.fields["first_name"] == expected[user.email], "\(user.email)")
            }
        }
    }

    @Test func aRowSentAgainIsFollowedByTheLaterRowsWithItsKey() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write(
                "users.csv",
                "Email;Имя;Группа\na@example.com;Первая;G\na@example.com;Вторая;G\nb@example.com;Бета;G\n"
                    + "a@example.com;Третья;G\n")
            let mapping = try bench.write("users.yaml", RunBench.usersMapping)
            // An earlier run: row 1 failed for good, the later rows landed (row 4 last, so "Третья" won).
            try bench.writeLedger(
                input: input, mapping: mapping,
                [LedgerEvent(row: 1, line: 2, state: .failed, attempt: 5, error: "HTTP 500")]
                    + (2...4).map { LedgerEvent(row: $0, line: $0 + 1, state: .ok, attempt: 1) })
            // Resuming sends row 1; rows 2 and 4 follow it again, so row 4's values still win. Row 3 is untouched.
            let summary = try await bench.run(input: input, mapping: mapping) { $0.workers = 4 }
            #expect(summary.counts.ok == 4)
            #expect(summary.sentThisRun == 3)
            let users = try #require(bench.sandbox.snapshot()).users
            #expect(users.map(\.email) == ["a@example.com"])
            #expect(users.first?.fields["first_name"] == "Третья")
            #expect(users.first?.updateCount == 2)
        }
    }

    @Test func aNumberedDealThatAddsToItsOrderIsNotResentWithoutAnAnswer() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("deals.csv", RunBench.dealsCSV(2))
            let mapping = try bench.write(
                "deals.yaml", RunBench.dealsMapping + "\n  system.multiple_offers: {value: 1}\n")
            let opened = try RunSetup.open(
                RunRequest(
                    inputPath: input, mappingPath: mapping, ledgerPath: nil, target: bench.target, newLedger: false,
                    command: "run", options: [:]))
            #expect(opened.mappingWarnings.contains { $0.contains("multiple_offers") })
            try opened.writer.write(LedgerEvent(row: 1, line: 2, state: .sent, attempt: 1, dealNumber: "D-1"))
            try opened.writer.close()
            let summary = try await bench.run(input: input, mapping: mapping)
            #expect(summary.counts.unknown == 1)
            #expect(summary.counts.ok == 1)
            #expect(try #require(bench.sandbox.snapshot()).deals.map(\.number) == ["D-2"])
        }
    }
}
