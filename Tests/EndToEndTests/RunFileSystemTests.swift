import Foundation
import TestSupport
import Testing

@testable import GetCourseSandbox

/// The ledger on a real file system that fills up, or is remounted read-only, in the middle of a run: a
/// small tmpfs mounted for the test (needs the right to mount, as CI has here; skipped without it). The run
/// stops with 74 and a message naming the ledger, the ledger stays readable, and once the file system is
/// writable with room again the same command resumes to every order exactly once.
@Suite(.serialized, .enabled(if: TemporaryMount.isPossible, "mounting a tmpfs needs CAP_SYS_ADMIN"))
struct RunFileSystemTests {
    static let key = "file-system-key"

    /// `run` of 400 orders without a number, the ledger on `mount`; the command's arguments.
    static func arguments(server: SandboxServer, mount: TemporaryMount, extra: [String] = []) -> [String] {
        [
            "run", "deals.csv", "--mapping", "deals.yaml", "--endpoint", server.baseURL, "--workers", "4", "--quiet",
            "--ledger", mount.path + "/deals.ledger.jsonl",
        ] + extra
    }

    /// The report of the ledger: it must read whatever state the file system left it in.
    static func reportCounts(_ mount: TemporaryMount, in dir: URL) throws -> [String: Int] {
        let report = try BuiltBinary.run(
            ["report", "--ledger", mount.path + "/deals.ledger.jsonl", "--json"], currentDirectory: dir)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any], "\(report.stderr)")
        return try #require(object["counts"] as? [String: Int])
    }

    /// Resumes until complete and checks the account: every ok order there once, none doubled. An order
    /// left unknown by a kill may or may not have landed (the kill can come before its request went out).
    static func resumeAndCheck(server: SandboxServer, mount: TemporaryMount, in dir: URL) throws {
        let resumed = try BuiltBinary.run(
            arguments(server: server, mount: mount, extra: ["--rate", "none", "--json"]),
            environment: ["GETCOURSE_API_KEY": key], currentDirectory: dir)
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any], "\(resumed.stderr)")
        let ok = try #require(summary["ok"] as? Int)
        let unknown = try #require(summary["unknown"] as? Int)
        // Orders sent but not recorded as answered cannot be sent again (they have no number): unknown, at
        // most one per worker; every other row is sent exactly once.
        #expect(ok + unknown == 400)
        #expect(unknown <= 4)
        let state = try #require(server.snapshot())
        #expect(state.summary.deals >= ok && state.summary.deals <= 400, "\(state.summary.deals) orders")
        #expect(state.dealsPerEmail.values.allSatisfy { $0 == 1 })
    }

    /// A sandbox, a folder of 400 orders without a number and a tmpfs of `fileSystemKilobytes` under it, all
    /// removed when `body` ends.
    static func withRun(
        fileSystemKilobytes: Int, _ body: (SandboxServer, URL, TemporaryMount) async throws -> Void
    ) async throws {
        let server = SandboxServer(configuration: SandboxConfiguration(key: Self.key))
        try await server.start()
        try await withCleanup(server) { () async throws in
            let dir = try RunTests.numberlessDealsFolder(rows: 400)
            defer { try? FileManager.default.removeItem(at: dir) }
            let mount = try TemporaryMount(in: dir, kilobytes: fileSystemKilobytes)
            defer { mount.unmount() }
            try await body(server, dir, mount)
        }
    }

    @Test func aFullFileSystemStopsTheRunWith74AndTheRunResumesOnceThereIsRoom() async throws {
        try await Self.withRun(fileSystemKilobytes: 24) { server, dir, mount in
            let full = try BuiltBinary.run(
                Self.arguments(server: server, mount: mount, extra: ["--rate", "none"]),
                environment: ["GETCOURSE_API_KEY": Self.key], currentDirectory: dir)
            #expect(full.status == 74, "\(full.stderr)")
            #expect(full.stderr.contains("deals.ledger.jsonl: the disk is full"), "\(full.stderr)")
            #expect(full.stderr.contains("free some space and run the same command again"), "\(full.stderr)")
            let counts = try Self.reportCounts(mount, in: dir)
            #expect((counts["ok"] ?? 0) > 0 && (counts["ok"] ?? 0) < 400, "\(counts)")

            try mount.remount(options: "size=4m")
            try Self.resumeAndCheck(server: server, mount: mount, in: dir)
        }
    }

    /// Linux refuses to remount a file system read-only while a file on it is open for writing, so the
    /// file system turns read-only between a killed run and its resume, as after a crash that left it so.
    @Test func aReadOnlyFileSystemRefusesTheResumeWith74AndTheRunResumesOnceWritable() async throws {
        try await Self.withRun(fileSystemKilobytes: 4096) { server, dir, mount in
            // Paced, so the kill comes in the middle of the run: at 40/s the 300 rows after row 100 take 7.5 s,
            // room enough for a test runner slowed by the other tests (at 100/s this failed once in a full run).
            let run = try RunKillTests.start(
                Self.arguments(server: server, mount: mount, extra: ["--rate", "40/s"]), key: Self.key, in: dir,
                tag: "killed")
            let ledger = URL(fileURLWithPath: mount.path + "/deals.ledger.jsonl")
            try await VerifyTests.waitForLine(containing: #"{"row":100,"#, in: ledger, while: run)
            kill(run.processIdentifier, SIGKILL)
            run.waitUntilExit()
            try mount.remount(options: "ro")
            let before = try Data(contentsOf: ledger)

            let refused = try BuiltBinary.run(
                Self.arguments(server: server, mount: mount, extra: ["--rate", "none"]),
                environment: ["GETCOURSE_API_KEY": Self.key], currentDirectory: dir)
            #expect(refused.status == 74, "\(refused.stderr)")
            #expect(refused.stderr.contains("deals.ledger.jsonl"), "\(refused.stderr)")
            #expect(refused.stderr.contains("Read-only file system"), "\(refused.stderr)")
            #expect(refused.stderr.contains("run the same command to resume"), "\(refused.stderr)")
            #expect(try Data(contentsOf: ledger) == before)
            let counts = try Self.reportCounts(mount, in: dir)
            #expect((counts["ok"] ?? 0) >= 90 && (counts["ok"] ?? 0) < 400, "\(counts)")

            try mount.remount(options: "rw")
            try Self.resumeAndCheck(server: server, mount: mount, in: dir)
        }
    }
}

/// A tmpfs mounted under a test's folder, unmounted when the test ends.
struct TemporaryMount {
    let path: String

    /// Whether this process may mount (root with CAP_SYS_ADMIN); tried once.
    static let isPossible: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("mount-probe-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil,
            let mount = try? TemporaryMount(at: probe.path, kilobytes: 16)
        else { return false }
        mount.unmount()
        try? FileManager.default.removeItem(at: probe)
        return true
    }()

    init(in directory: URL, kilobytes: Int) throws {
        let path = directory.appendingPathComponent("ledger-fs").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try self.init(at: path, kilobytes: kilobytes)
    }

    private init(at path: String, kilobytes: Int) throws {
        self.path = path
        try Self.mount(["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path])
    }

    func remount(options: String) throws {
        try Self.mount(["-o", "remount,\(options)", path])
    }

    func unmount() {
        try? Self.mount([path], tool: "/bin/umount")
    }

    private static func mount(_ arguments: [String], tool: String = "/bin/mount") throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MountFailure(arguments: arguments) }
    }

    struct MountFailure: Error {
        var arguments: [String]
    }
}
