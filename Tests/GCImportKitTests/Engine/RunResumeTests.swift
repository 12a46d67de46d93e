import Dispatch
import Foundation
import TestSupport
import Testing

@testable import GCImportKit
@testable import GetCourseSandbox

@Suite struct RunResumeTests {
    @Test func interruptedRunResumesToExactlyOnce() async throws {
        let bench = try await RunBench(SandboxConfiguration(latencyMilliseconds: 5))
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("users.csv", RunBench.usersCSV(300))
            let mapping = try bench.write("users.yaml", RunBench.usersMapping)
            let control = RunControl()
            // Stopped by progress, not by a timer: on a loaded machine a 0.15 s timer fired after all 300 rows.
            let sandbox = bench.sandbox
            DispatchQueue(label: "test.interrupt").async {
                let giveUp = Date() + 60
                while !control.isStopping, Date() < giveUp {
                    if (sandbox.snapshot()?.summary.users ?? 0) >= 60 { control.stop(.interrupted) }
                    usleep(1000)
                }
            }
            let first = try await bench.run(input: input, mapping: mapping, control: control)
            #expect(first.stopReason == .interrupted)
            #expect(first.counts.total == 300)
            #expect(first.counts.pending > 0)
            #expect(first.problems.isEmpty)
            let second = try await bench.run(input: input, mapping: mapping)
            #expect(second.stopReason == nil)
            #expect(second.counts.ok == 300)
            #expect(second.sentThisRun <= 300 - first.counts.ok)
            let state = try #require(bench.sandbox.snapshot())
            #expect(state.summary.users == 300)
            let ledger = try LedgerSnapshot.load(path: input + ".ledger.jsonl")
            #expect(ledger.runs.count == 2)
            #expect((1...300).allSatisfy { ledger.state(ofRow: $0) == .ok })
        }
    }

    @Test func changedInputIsRefusedAndNewLedgerStartsOver() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("users.csv", RunBench.usersCSV(10))
            let mapping = try bench.write("users.yaml", RunBench.usersMapping)
            _ = try await bench.run(input: input, mapping: mapping)
            try bench.write("users.csv", RunBench.usersCSV(11))
            do {
                _ = try await bench.run(input: input, mapping: mapping)
                Issue.record("a changed input must be refused")
            } catch let error as RunSetupError {
                #expect(error.cause == .unusable)
                #expect(error.description.contains("changed"))
                #expect(error.description.contains("--new-ledger"))
            }
            let restarted = try await bench.run(input: input, mapping: mapping, newLedger: true)
            #expect(restarted.counts.ok == 11)
            let aside = try FileManager.default.contentsOfDirectory(atPath: bench.directory.path)
                .filter { $0.hasPrefix("users.csv.ledger.jsonl.") && $0.hasSuffix(".old") }
            #expect(aside.count == 1)
        }
    }

    @Test func rowsSentWithoutAnswerAreResentOnlyWhenSafe() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("deals.csv", RunBench.dealsCSV(6))
            let mapping = try bench.write("deals.yaml", RunBench.numberlessDealsMapping)
            // A ledger whose run died after writing `sent` for rows 1 and 2 (as after a kill -9).
            let request = RunRequest(
                inputPath: input, mappingPath: mapping, ledgerPath: nil, target: bench.target, newLedger: false,
                command: "run", options: [:])
            let opened = try RunSetup.open(request)
            for row in 1...2 {
                try opened.writer.write(LedgerEvent(row: row, line: row + 1, state: .sent, attempt: 1))
            }
            try opened.writer.close()
            let summary = try await bench.run(input: input, mapping: mapping)
            #expect(summary.counts.unknown == 2)
            #expect(summary.counts.ok == 4)
            #expect(try #require(bench.sandbox.snapshot()).summary.deals == 4)
            let forced = try await bench.run(input: input, mapping: mapping) {
                $0.selection = .resume(resendUnknown: true)
            }
            #expect(forced.counts.ok == 6)
            #expect(try #require(bench.sandbox.snapshot()).summary.deals == 6)
        }
    }

    @Test func retrySendsOnlyFailedRows() async throws {
        let failing = try await RunBench(SandboxConfiguration(failRate: 1))
        try await withCleanup(failing) { () async throws in
            let input = try failing.write("users.csv", RunBench.usersCSV(8) + "bad-email;X;G\n")
            let mapping = try failing.write("users.yaml", RunBench.usersMapping)
            let first = try await failing.run(input: input, mapping: mapping) { $0.maxAttempts = 2 }
            #expect(first.counts.failed == 8)
            #expect(first.counts.invalid == 1)

            // The same account, healthy again: a second sandbox stands in for it (the ledger names "sandbox").
            let healthy = try await RunBench()
            try await withCleanup(healthy) { () async throws in
                var configuration = RunConfiguration()
                configuration.rate = RateLimit(perSecond: nil)
                configuration.selection = .retry(states: [.failed])
                let request = RunRequest(
                    inputPath: input, mappingPath: mapping, ledgerPath: nil, target: healthy.target, newLedger: false,
                    command: "retry", options: [:])
                let summary = try await RunBench.execute(
                    request, target: healthy.target, key: healthy.key, configuration)
                #expect(summary.counts.ok == 8)
                #expect(summary.counts.invalid == 1)
                #expect(summary.sentThisRun == 8)
                #expect(try #require(healthy.sandbox.snapshot()).summary.users == 8)
            }
        }
    }

    @Test func aLedgerWrittenWhileTheRunWasCheckingIsReadAgainOnceLocked() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("users.csv", RunBench.usersCSV(3))
            let mapping = try bench.write("users.yaml", RunBench.usersMapping)
            try bench.writeLedger(
                input: input, mapping: mapping, [LedgerEvent(row: 1, line: 2, state: .failed, attempt: 5)])
            let request = RunRequest(
                inputPath: input, mappingPath: mapping, ledgerPath: nil, target: bench.target, newLedger: false,
                command: "run", options: [:])
            let prepared = try RunSetup.prepare(request)
            #expect(prepared.prior?.state(ofRow: 1) == .failed)
            // A `retry` finishes row 1 while this run is still checking the account.
            let other = try LedgerWriter.append(path: input + ".ledger.jsonl")
            try other.write(LedgerEvent(row: 1, line: 2, state: .ok, attempt: 6))
            try other.close()
            let opened = try RunSetup.open(prepared, check: nil)
            #expect(opened.prior?.state(ofRow: 1) == .ok)
            try opened.writer.close()
        }
    }
}
