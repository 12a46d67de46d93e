import Foundation
import TestSupport
import Testing

@testable import GetCourseSandbox

/// The ledger's disk fills up in the middle of a run. A file-size limit stands in for a full disk: past it
/// writes fail (EFBIG, with SIGXFSZ ignored) the way they fail with ENOSPC, a line may be cut in two, and no
/// root or special file system is needed.
@Suite struct RunFullDiskTests {
    @Test func ledgerWriteFailureStopsTheRunAndResumeNeverDoublesADeal() async throws {
        let key = "full-disk-key"
        let server = SandboxServer(configuration: SandboxConfiguration(key: key))
        try await server.start()
        try await withCleanup(server) { () async throws in
            let dir = try RunTests.numberlessDealsFolder(rows: 400)
            defer { try? FileManager.default.removeItem(at: dir) }
            let arguments = [
                "run", "deals.csv", "--mapping", "deals.yaml", "--endpoint", server.baseURL, "--rate", "none",
                "--workers", "4", "--quiet",
            ]
            // 40 blocks of 512 bytes: room for the header and about a hundred rows, nowhere near all 400.
            let limited = Process()
            limited.executableURL = URL(fileURLWithPath: "/bin/sh")
            limited.arguments =
                ["-c", #"trap '' XFSZ; ulimit -f 40; exec "$0" "$@""#, BuiltBinary.gcimport.path] + arguments
            limited.environment = ProcessInfo.processInfo.environment.merging(["GETCOURSE_API_KEY": key]) { $1 }
            limited.currentDirectoryURL = dir
            limited.standardInput = FileHandle.nullDevice
            let limitedRun = try BuiltBinary.capture(limited)
            let message = limitedRun.stderr
            #expect(limitedRun.status == 74, "\(message)")
            #expect(message.contains("deals.csv.ledger.jsonl: cannot write the ledger"), "\(message)")
            #expect(!message.contains(key))
            let sentBefore = try #require(server.snapshot()).summary.deals
            #expect(sentBefore > 0 && sentBefore < 400)

            // Without the limit the same command resumes. Deals sent but not recorded as answered cannot be
            // sent again (they have no number), so they end unknown; every other row is sent exactly once.
            let resumed = try BuiltBinary.run(
                arguments + ["--json"], environment: ["GETCOURSE_API_KEY": key], currentDirectory: dir)
            let summary = try #require(
                try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any], "\(resumed.stderr)"
            )
            let ok = try #require(summary["ok"] as? Int)
            let unknown = try #require(summary["unknown"] as? Int)
            #expect(ok + unknown == 400)
            #expect(unknown <= 4, "at most one row in flight per worker when the ledger failed")
            let state = try #require(server.snapshot())
            #expect(state.summary.deals == 400)
            #expect(state.dealsPerEmail.values.allSatisfy { $0 == 1 })
        }
    }
}
