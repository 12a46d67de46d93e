import Foundation
import TestSupport
import Testing

@testable import GCImportKit
@testable import GetCourseSandbox

@Suite struct RunRefusalTests {
    /// Runs 30 users against a sandbox configured to refuse, and returns the refusal and the summary.
    private func refused(
        _ configuration: SandboxConfiguration, key: APIKey? = nil
    ) async throws -> (ServiceRefusal?, RunSummary, RunBench) {
        let bench = try await RunBench(configuration)
        let input = try bench.write("users.csv", RunBench.usersCSV(30))
        let mapping = try bench.write("users.yaml", RunBench.usersMapping)
        let summary = try await bench.run(input: input, mapping: mapping, key: key) { $0.workers = 2 }
        guard case .refused(let refusal) = summary.stopReason else { return (nil, summary, bench) }
        return (refusal, summary, bench)
    }

    @Test func badKeyStopsTheRunAndResumesWithTheRightOne() async throws {
        let (refusal, summary, bench) = try await refused(SandboxConfiguration(), key: APIKey(secret: "wrong-key-123"))
        try await withCleanup(bench) { () async throws in
            #expect(refusal?.reason == .unauthorized)
            #expect(refusal?.description.contains("GETCOURSE_API_KEY") == true)
            #expect(summary.counts.ok == 0)
            #expect(summary.counts.failed + summary.counts.pending == 30)
            // Nothing more than the calls in flight went out.
            #expect(try #require(bench.sandbox.snapshot()).summary.requests <= 2)
            let ledger = try String(contentsOfFile: bench.path("users.csv.ledger.jsonl"), encoding: .utf8)
            #expect(!ledger.contains("wrong-key-123"))
            let resumed = try await bench.run(input: bench.path("users.csv"), mapping: bench.path("users.yaml"))
            #expect(resumed.counts.ok == 30)
            #expect(try #require(bench.sandbox.snapshot()).summary.users == 30)
        }
    }

    @Test func allowanceUsedUpStops() async throws {
        let (refusal, summary, bench) = try await refused(SandboxConfiguration(allowance: 10))
        try await withCleanup(bench) { () async throws in
            #expect(refusal?.reason == .allowanceUsedUp)
            #expect(summary.counts.ok == 10)
            #expect(try #require(bench.sandbox.snapshot()).summary.users == 10)
        }
    }

    @Test func emptyBodyMeansNoAPIOnThePlan() async throws {
        let (refusal, _, bench) = try await refused(SandboxConfiguration(emptyBody: true))
        try await withCleanup(bench) { () async throws in
            #expect(refusal?.reason == .emptyBody)
        }
    }

    @Test func wrongSubdomainStops() async throws {
        let (refusal, _, bench) = try await refused(SandboxConfiguration(wrongSubdomain: true))
        try await withCleanup(bench) { () async throws in
            #expect(refusal?.reason == .wrongAccount)
        }
    }

    @Test func redirectIsNotFollowedAndNamesTheNewEndpoint() async throws {
        let (refusal, _, bench) = try await refused(SandboxConfiguration(redirectTo: "https://school.example.com"))
        try await withCleanup(bench) { () async throws in
            #expect(refusal?.reason == .redirected)
            #expect(refusal?.location?.hasPrefix("https://school.example.com") == true)
            #expect(refusal?.description.contains("--endpoint https://school.example.com") == true)
        }
    }

    @Test func httpsOnlyAnswerStops() async throws {
        let (refusal, _, bench) = try await refused(SandboxConfiguration(requireHTTPS: true))
        try await withCleanup(bench) { () async throws in
            #expect(refusal?.reason == .httpsOnly)
        }
    }

    @Test func readOnlyKeyIsForbidden() async throws {
        let (refusal, _, bench) = try await refused(
            SandboxConfiguration(readOnlyKey: "reader-key"), key: APIKey(secret: "reader-key"))
        try await withCleanup(bench) { () async throws in
            #expect(refusal?.reason == .forbidden)
        }
    }
}

extension RunRefusalTests {
    @Test func callLevelErrorsInARowAreCountedAcrossWorkers() {
        let streak = CallErrorStreak()
        let callError = AnswerClassifier.classify(
            status: 200, body: Array(#"{"success":false,"error":"Не указаны параметры"}"#.utf8), location: nil,
            retryAfter: nil)
        #expect(callError.isCallLevelError)
        let rowError = AnswerClassifier.classify(
            status: 200,
            body: Array(#"{"success":true,"result":{"success":false,"error":true,"error_message":"bad"}}"#.utf8),
            location: nil, retryAfter: nil)
        #expect(!rowError.isCallLevelError)
        #expect(streak.record(callError) == 1)
        #expect(streak.record(callError) == 2)
        #expect(streak.record(rowError) == 0)
        for expected in 1...RunConfiguration.callErrorStreakLimit { #expect(streak.record(callError) == expected) }
    }
}
