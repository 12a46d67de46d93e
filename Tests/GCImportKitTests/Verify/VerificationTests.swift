import Dispatch
import Foundation
import TestSupport
import Testing

@testable import GCImportKit
@testable import GetCourseSandbox

/// `verify` over real HTTP against the sandbox: what the ledger says, compared with what landed.
@Suite struct VerificationTests {
    /// Runs a verification on a thread of its own, as the command does.
    static func verify(
        _ bench: RunBench, ledger: String, configure: (inout VerifyOptions) -> Void = { _ in }
    ) async throws -> VerifyReport {
        var options = VerifyOptions()
        options.client.pollBackoff = Backoff(base: 0.05, cap: 0.2)
        options.client.backoff = Backoff(base: 0.01, cap: 0.05)
        configure(&options)
        let verification = Verification(ledgerPath: ledger, target: bench.target, key: bench.key, options: options)
        let result: Result<VerifyReport, VerifyError> = await withCheckedContinuation { continuation in
            DispatchQueue(label: "test.verify").async {
                continuation.resume(
                    returning: Result { () throws(VerifyError) -> VerifyReport in
                        try verification.run(control: RunControl(), say: { _ in })
                    })
            }
        }
        return try result.get()
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// `count` orders without a number, each by a buyer of its own.
    static func numberlessDeals(_ count: Int) -> String {
        var text = "Email;Товар;Сумма\n"
        for index in 1...count { text += "buyer\(index)@example.com;Курс \(index % 3);\(1000 + index % 7 * 100)\n" }
        return text
    }

    @Test func lostAnswersAreResolvedAndASecondVerificationChangesNothing() async throws {
        let bench = try await RunBench(
            SandboxConfiguration(seed: 5, dropRate: 0.2, exportPollsBeforeReady: 1, exportBuildSeconds: 2))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("deals.csv", Self.numberlessDeals(300))
            let mapping = try bench.write("deals.yaml", RunBench.numberlessDealsMapping)
            let summary = try await bench.run(input: input, mapping: mapping) { $0.workers = 8 }
            #expect(summary.counts.unknown > 20)
            let ledger = input + ".ledger.jsonl"
            let report = try await Self.verify(bench, ledger: ledger)
            #expect(report.counts.resolved == summary.counts.unknown)
            #expect(report.counts.confirmed == summary.counts.ok)
            #expect(report.counts.notFound + report.counts.missing + report.counts.ambiguous == 0)
            let snapshot = try LedgerSnapshot.load(path: ledger)
            #expect((1...300).allSatisfy { snapshot.state(ofRow: $0) == .ok })
            #expect(snapshot.verifications.last?.complete == true)
            // Every resolved row names the order it is, and no order is named twice.
            let report2 = try LedgerReport.build(ledgerPath: ledger)
            #expect(Set(report2.dealIDs).count == 300)
            #expect(try #require(bench.sandbox.snapshot()).summary.deals == 300)

            let events = try Self.lines(ledger).filter { $0.hasPrefix(#"{"row":"#) }.count
            let again = try await Self.verify(bench, ledger: ledger)
            #expect(again.changes.isEmpty)
            #expect(again.counts.confirmed == 300)
            #expect(try Self.lines(ledger).filter { $0.hasPrefix(#"{"row":"#) }.count == events)
        }
    }

    @Test func rowsThatNeverArrivedBecomeFailedAndRetrySendsThemOnce() async throws {
        let bench = try await RunBench(SandboxConfiguration(exportPollsBeforeReady: 0))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("deals.csv", Self.numberlessDeals(6))
            let mapping = try bench.write("deals.yaml", RunBench.numberlessDealsMapping)
            // A run killed right after writing `sent` for rows 1 and 2: their requests never left.
            try bench.writeLedger(
                input: input, mapping: mapping,
                (1...2).map { LedgerEvent(row: $0, line: $0 + 1, state: .sent, attempt: 1) }
            )
            let resumed = try await bench.run(input: input, mapping: mapping)
            #expect(resumed.counts.unknown == 2)
            let ledger = input + ".ledger.jsonl"
            let report = try await Self.verify(bench, ledger: ledger)
            #expect(report.counts.notFound == 2)
            #expect(report.changes.map(\.state) == [.failed, .failed])
            #expect(report.exitStatus == .problems)
            let retried = try await bench.run(input: input, mapping: mapping) {
                $0.selection = .retry(states: [.failed, .missing])
            }
            #expect(retried.sentThisRun == 2)
            #expect(retried.counts.ok == 6)
            let deals = try #require(bench.sandbox.snapshot()).deals
            #expect(deals.count == 6)
            #expect(Set(deals.map(\.userEmail)).count == 6)
        }
    }

    @Test func anOrderTwoDifferentRowsCouldBeStaysUnknownWithItsCandidate() async throws {
        let bench = try await RunBench(SandboxConfiguration(exportPollsBeforeReady: 0))
        try await withCleanup(bench) { () async throws in
            let mapping = try bench.write(
                "deals.yaml", RunBench.numberlessDealsMapping + "\n  deal.deal_comment: Комментарий\n")
            let header = "Email;Товар;Сумма;Комментарий\n"
            // One of two look-alike orders landed, from somewhere the ledger does not know.
            let other = try bench.write("other.csv", header + "same@example.com;Курс;1000;первый\n")
            _ = try await bench.run(input: other, mapping: mapping)
            let input = try bench.write(
                "deals.csv", header + "same@example.com;Курс;1000;первый\nsame@example.com;Курс;1000;второй\n")
            try bench.writeLedger(
                input: input, mapping: mapping,
                (1...2).map { LedgerEvent(row: $0, line: $0 + 1, state: .sent, attempt: 1) }
            )
            let ledger = input + ".ledger.jsonl"
            let report = try await Self.verify(bench, ledger: ledger)
            #expect(report.counts.ambiguous == 2)
            let dealID = try #require(bench.sandbox.snapshot()?.deals.first?.id)
            #expect(report.changes.allSatisfy { $0.state == .unknown && $0.message?.contains("\(dealID)") == true })
            let again = try await Self.verify(bench, ledger: ledger)
            #expect(again.counts.ambiguous == 2)
            #expect(again.changes.isEmpty)
        }
    }

    @Test func usersAndGroupsMissingFromTheAccountAreSentAgain() async throws {
        let bench = try await RunBench(SandboxConfiguration(exportPollsBeforeReady: 1))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("users.csv", RunBench.usersCSV(5))
            let mapping = try bench.write("users.yaml", RunBench.usersMapping)
            #expect(try await bench.run(input: input, mapping: mapping).counts.ok == 5)
            let ledger = input + ".ledger.jsonl"
            let first = try await Self.verify(bench, ledger: ledger)
            #expect(first.counts.confirmed == 5)
            #expect(first.exports.contains("group «Клиенты»: 5"))
            // The account loses everything (a restore from an old backup, say).
            bench.sandbox.reset()
            let lost = try await Self.verify(bench, ledger: ledger)
            #expect(lost.counts.missing == 5)
            #expect(try LedgerSnapshot.load(path: ledger).counts()[.missing] == 5)
            // Missing once, missing still: nothing new is written.
            #expect(try await Self.verify(bench, ledger: ledger).changes.isEmpty)
            let retried = try await bench.run(input: input, mapping: mapping) {
                $0.selection = .retry(states: [.failed, .missing])
            }
            #expect(retried.counts.ok == 5)
            let back = try await Self.verify(bench, ledger: ledger)
            #expect(back.counts.confirmed == 5)
            #expect(back.counts.missing == 0)
        }
    }

    @Test func theExportBudgetStopsItAndTheNextVerificationContinues() async throws {
        let bench = try await RunBench(SandboxConfiguration(exportPollsBeforeReady: 3))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("deals.csv", Self.numberlessDeals(4))
            let mapping = try bench.write("deals.yaml", RunBench.numberlessDealsMapping)
            _ = try await bench.run(input: input, mapping: mapping)
            let ledger = input + ".ledger.jsonl"
            await #expect {
                _ = try await Self.verify(bench, ledger: ledger) { $0.budget = 2 }
            } throws: { error in
                guard case .account(.budgetSpent(let used, let limit, _)) = error as? VerifyError else { return false }
                return used == 2 && limit == 2
            }
            let stopped = try #require(try LedgerSnapshot.load(path: ledger).verifications.last)
            #expect(!stopped.complete)
            // Two calls are on record: a budget of 3 leaves one, and the export it started is continued.
            await #expect(throws: VerifyError.self) {
                _ = try await Self.verify(bench, ledger: ledger) { $0.budget = 3 }
            }
            let done = try await Self.verify(bench, ledger: ledger)
            #expect(done.counts.confirmed == 4)
            #expect(try #require(bench.sandbox.snapshot()).requests["/pl/api/account/deals"]?.requests == 1)
        }
    }

    @Test func aBusyAccountAndASpentAccountBudgetAreWaitedOut() async throws {
        let bench = try await RunBench(
            // A window long enough that a loaded machine still starts the verify inside it (4 s was not, once,
            // with the whole suite running).
            SandboxConfiguration(exportPollsBeforeReady: 0, exportRequestLimit: 2, exportWindowSeconds: 10))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("deals.csv", Self.numberlessDeals(3))
            let mapping = try bench.write("deals.yaml", RunBench.numberlessDealsMapping)
            _ = try await bench.run(input: input, mapping: mapping)
            // Another tool spends the account's budget just before.
            let spender = AccountClient(target: bench.target, key: bench.key)
            let spent: Int = await withCheckedContinuation { continuation in
                DispatchQueue(label: "test.spend").async {
                    let groups = (try? spender.groups()).map { _ in 1 } ?? 0
                    let more = (try? spender.groups()).map { _ in 1 } ?? 0
                    spender.shutdown()
                    continuation.resume(returning: groups + more)
                }
            }
            #expect(spent == 2)
            let report = try await Self.verify(bench, ledger: input + ".ledger.jsonl") {
                $0.client.budgetBackoff = Backoff(base: 0.5, cap: 1)
            }
            #expect(report.counts.confirmed == 3)
            let deals = try #require(bench.sandbox.snapshot()?.requests["/pl/api/account/deals"])
            #expect(deals.outcomes["export_error"] ?? 0 >= 1)
            #expect(deals.outcomes["ok"] == 1)
        }
    }

    @Test func anOrderWithoutANumberWhoseUserLostItsGroupIsReportedNotResent() async throws {
        let bench = try await RunBench(SandboxConfiguration(exportPollsBeforeReady: 0))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("deals.csv", "Email;Товар;Сумма;Группа\nann@example.com;Курс;1000;Покупатели\n")
            let mapping = try bench.write(
                "deals.yaml", RunBench.numberlessDealsMapping + "\n  user.group_name: Группа\n")
            #expect(try await bench.run(input: input, mapping: mapping).counts.ok == 1)
            // Someone replaces the buyer's groups in the account.
            let id = try #require(bench.sandbox.snapshot()?.users.first?.id)
            let lists = try bench.write("lists.csv", "ID;Группы\n\(id);Другая\n")
            let listsMapping = try bench.write(
                "lists.yaml", "kind: user_groups\nfields:\n  user.id: ID\n  user.group_name: Группы\n")
            #expect(try await bench.run(input: lists, mapping: listsMapping).counts.ok == 1)

            let report = try await Self.verify(bench, ledger: input + ".ledger.jsonl")
            #expect(report.counts.groupsMissing == 1)
            #expect(report.counts.missing == 0)
            #expect(report.changes.first?.message?.contains("«Покупатели»") == true)
            #expect(try LedgerSnapshot.load(path: input + ".ledger.jsonl").state(ofRow: 1) == .ok)
            let retried = try await bench.run(input: input, mapping: mapping) {
                $0.selection = .retry(states: [.failed, .missing])
            }
            #expect(retried.sentThisRun == 0)
            #expect(try #require(bench.sandbox.snapshot()).deals.count == 1)
        }
    }

    @Test func aRedirectNeverShowsTheKey() async throws {
        let bench = try await RunBench(SandboxConfiguration(redirectTo: "https://school.example.com"))
        try await withCleanup(bench) { () async throws in
            let key = APIKey(secret: "sandbox-key")
            let client = AccountClient(target: bench.target, key: key)
            let error: AccountError? = await withCheckedContinuation {
                (continuation: CheckedContinuation<AccountError?, Never>) in
                DispatchQueue(label: "test.redirect").async {
                    defer { client.shutdown() }
                    do throws(AccountError) {
                        _ = try client.groups()
                        continuation.resume(returning: nil)
                    } catch {
                        continuation.resume(returning: error)
                    }
                }
            }
            let text = "\(try #require(error))"
            #expect(text.contains("school.example.com/pl/api/account/groups"))
            #expect(!text.contains("sandbox-key"))
        }
    }
}
