import Dispatch
import Foundation
import TestSupport
import Testing

@testable import CSVReader
@testable import GCImportKit
@testable import GetCourseSandbox

/// A scratch folder with a CSV, a mapping and a sandbox, for running the real engine over loopback HTTP.
final class RunBench: Sendable {
    let directory: URL
    let sandbox: SandboxServer

    init(_ configuration: SandboxConfiguration = SandboxConfiguration()) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        sandbox = SandboxServer(configuration: configuration)
        try await sandbox.start()
    }

    func close() async {
        try? await sandbox.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    var target: ImportTarget { .sandbox(baseURL: sandbox.baseURL) }
    var key: APIKey { APIKey(secret: sandbox.configuration.key) }

    /// Opens and runs an import of `input` with `mapping`, as `run` does but without signal handling, on a
    /// Dispatch thread (the engine blocks its thread).
    func run(
        input: String, mapping: String, ledger: String? = nil, key: APIKey? = nil, newLedger: Bool = false,
        control: RunControl = RunControl(), configure: (inout RunConfiguration) -> Void = { _ in }
    ) async throws -> RunSummary {
        var configuration = RunConfiguration()
        configuration.rate = RateLimit(perSecond: nil)
        configuration.backoff = Backoff(base: 0.01, cap: 0.05)
        configuration.timeout = 5
        configure(&configuration)
        let request = RunRequest(
            inputPath: input, mappingPath: mapping, ledgerPath: ledger, target: target, newLedger: newLedger,
            command: "run", options: [:])
        return try await Self.execute(request, target: target, key: key ?? self.key, configuration, control: control)
    }

    /// Opens `request` and runs it on a Dispatch thread.
    static func execute(
        _ request: RunRequest, target: ImportTarget, key: APIKey, _ configuration: RunConfiguration,
        control: RunControl = RunControl()
    ) async throws -> RunSummary {
        let opened = try RunSetup.open(request)
        return await withCheckedContinuation { continuation in
            DispatchQueue(label: "test.run").async {
                continuation.resume(
                    returning: ImportDriver.execute(
                        opened: opened, target: target, key: key, configuration: configuration, progress: .quiet,
                        quit: nil, control: control))
            }
        }
    }

    /// A ledger for `input` as a run starts it, with `events` written as an earlier run (say, one killed
    /// after `sent`) left them.
    func writeLedger(input: String, mapping: String, _ events: [LedgerEvent]) throws {
        let opened = try RunSetup.open(
            RunRequest(
                inputPath: input, mappingPath: mapping, ledgerPath: nil, target: target, newLedger: false,
                command: "run", options: [:]))
        for event in events { try opened.writer.write(event) }
        try opened.writer.close()
    }

    /// A users CSV of `count` rows: user1@example.com…
    static func usersCSV(_ count: Int, start: Int = 1) -> String {
        var text = "Email;Имя;Группа\n"
        for index in start..<(start + count) { text += "user\(index)@example.com;Имя \(index);Клиенты\n" }
        return text
    }

    static let usersMapping = """
        kind: user
        fields:
          user.email: {column: Email, transforms: [email]}
          user.first_name: Имя
          user.group_name: Группа
          system.refresh_if_exists: {value: 1}
        """

    /// Deals, with a number column (idempotent) or without one.
    static func dealsCSV(_ count: Int) -> String {
        var text = "Номер;Email;Товар;Сумма\n"
        for index in 1...count { text += "D-\(index);buyer\(index)@example.com;Курс;1000\n" }
        return text
    }

    static let dealsMapping = """
        kind: deal
        fields:
          user.email: {column: Email, transforms: [email]}
          deal.deal_number: Номер
          deal.product_title: Товар
          deal.deal_cost: {column: Сумма, transforms: [money]}
        """

    static let numberlessDealsMapping = """
        kind: deal
        fields:
          user.email: {column: Email, transforms: [email]}
          deal.product_title: Товар
          deal.deal_cost: {column: Сумма, transforms: [money]}
        """

    /// The last state of every row in a ledger, checked for shape on the way.
    func ledgerStates(_ path: String) throws -> [Int: RowState] {
        let snapshot = try LedgerSnapshot.load(path: path)
        var states: [Int: RowState] = [:]
        for row in 1...max(1, snapshot.rowCount) {
            if let state = snapshot.state(ofRow: row) { states[row] = state }
        }
        return states
    }
}

extension RunBench: TestResource {
    func release() async { await close() }
}
