import Foundation
import Testing

@testable import CSVReader
@testable import GCImportKit

/// A small import whose ledger has every kind of outcome, over a real input file.
private struct Fixture {
    let dir: URL
    let input: String
    let ledger: String

    init(encoding: CSVEncoding, bom: Bool) throws {
        dir = try makeTemporaryDirectory()
        input = dir.appendingPathComponent("users.csv").path
        ledger = input + ".ledger.jsonl"
        let writer = CSVWriter(delimiter: UInt8(ascii: ";"), encoding: encoding, writesBOM: bom)
        var bytes = writer.preamble
        for fields in [
            ["Email", "Имя", "Группы"],
            ["anna@example.ru", "Анна", "Курс А"],
            ["bad-email", "Борис", "Курс Б; VIP"],
            ["vera@example.ru", "Вера", "  spaced  "],
            ["gleb@example.ru", "Глеб", "Курс \"Про\""],
            ["dina@example.ru", "Дина", ""],
        ] {
            bytes += writer.encodeRecord(fields)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        let header = LedgerHeader(
            input: try FileIdentity.of(path: input),
            mapping: FileIdentity(path: "/m.yaml", size: 1, sha256: "m"),
            kind: .user, target: "sandbox",
            csv: .init(delimiter: ";", encoding: encoding, header: true))
        let ledgerWriter = try LedgerWriter.create(path: ledger, header: header)
        try ledgerWriter.write(run: LedgerRunRecord(command: "run", options: [:]))
        let events = [
            LedgerEvent(row: 1, line: 2, state: .sent, attempt: 1, t: "2026-11-23T05:00:00.000Z"),
            LedgerEvent(row: 1, line: 2, state: .ok, attempt: 1, userID: "101", t: "2026-11-23T05:00:01.000Z"),
            LedgerEvent(
                row: 2, line: 3, state: .invalid, error: "user.email: not an email", t: "2026-11-23T05:00:01.000Z"),
            LedgerEvent(row: 3, line: 4, state: .sent, attempt: 1, t: "2026-11-23T05:00:01.000Z"),
            LedgerEvent(
                row: 3, line: 4, state: .failed, attempt: 1, httpStatus: 500, error: "HTTP 500",
                t: "2026-11-23T05:00:02.000Z"),
            LedgerEvent(row: 3, line: 4, state: .sent, attempt: 2, t: "2026-11-23T05:00:02.000Z"),
            LedgerEvent(row: 4, line: 5, state: .sent, attempt: 1, t: "2026-11-23T05:00:03.000Z"),
            LedgerEvent(
                row: 4, line: 5, state: .rejected, attempt: 1, error: "Партнёр не найден", t: "2026-11-23T05:00:04.000Z"
            ),
            LedgerEvent(row: 5, line: 6, state: .skipped, error: "empty email", t: "2026-11-23T05:00:05.000Z"),
        ]
        for event in events { try ledgerWriter.write(event) }
        try ledgerWriter.close()
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}

@Suite struct ReportAndFailedTests {
    @Test func reportCountsFinalStatesAndGroupsErrors() throws {
        let fixture = try Fixture(encoding: .utf8, bom: true)
        defer { fixture.remove() }
        let report = try LedgerReport.build(ledgerPath: fixture.ledger)
        #expect(report.rows == 5)
        #expect(report.counts == [.ok: 1, .invalid: 1, .unknown: 1, .rejected: 1, .skipped: 1])
        #expect(report.userIDs == ["101"])
        #expect(report.elapsedSeconds == 5)
        let messages = report.errorGroups.map { "\($0.state):\($0.message):\($0.exampleLines)" }.sorted()
        // Row 3 was retried and its answer never came: unknown, and the earlier failure text is kept.
        #expect(
            messages == [
                "invalid:user.email: not an email:[3]", "rejected:Партнёр не найден:[5]", "unknown:HTTP 500:[4]",
            ])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(report.renderJSON().utf8)) as? [String: Any])
        #expect((json["counts"] as? [String: Int])?["ok"] == 1)
        #expect(report.renderText().contains("gcimport failed --ledger"))
    }

    @Test(arguments: [(CSVEncoding.utf8, true), (.utf8, false), (.windows1251, false)])
    func failedWritesRowsBackInTheInputsOwnFormat(encoding: CSVEncoding, bom: Bool) throws {
        let fixture = try Fixture(encoding: encoding, bom: bom)
        defer { fixture.remove() }
        let output = fixture.dir.appendingPathComponent("fix.csv").path
        let summary = try FailedRowsExport(ledgerPath: fixture.ledger, outputPath: output).run()
        #expect(summary.written == 3)

        let reader = try CSVFileReader(path: output)
        #expect(reader.encoding == encoding)
        #expect(reader.hasBOM == bom)
        #expect(reader.delimiter == UInt8(ascii: ";"))
        #expect(reader.header == ["Email", "Имя", "Группы", "_line", "_state", "_error"])
        var rows: [[String]] = []
        while let record = try reader.next() {
            #expect(record.problems.isEmpty)
            rows.append(record.fields)
        }
        #expect(
            rows == [
                ["bad-email", "Борис", "Курс Б; VIP", "3", "invalid", "user.email: not an email"],
                ["vera@example.ru", "Вера", "  spaced  ", "4", "unknown", "HTTP 500"],
                ["gleb@example.ru", "Глеб", "Курс \"Про\"", "5", "rejected", "Партнёр не найден"],
            ])
    }

    @Test func failedRefusesAChangedInputAndOverwritingIt() throws {
        let fixture = try Fixture(encoding: .utf8, bom: true)
        defer { fixture.remove() }
        let overwrite = #expect(throws: FailedRowsExport.Failure.self) {
            try FailedRowsExport(ledgerPath: fixture.ledger, outputPath: fixture.input).run()
        }
        #expect(overwrite?.description.contains("refusing to overwrite") == true)

        let handle = try #require(FileHandle(forWritingAtPath: fixture.input))
        handle.seekToEndOfFile()
        handle.write(Data("zoe@example.ru;Зоя;\r\n".utf8))
        try handle.close()
        let changed = #expect(throws: FailedRowsExport.Failure.self) {
            try FailedRowsExport(
                ledgerPath: fixture.ledger, outputPath: fixture.dir.appendingPathComponent("o.csv").path
            )
            .run()
        }
        #expect(changed?.description.contains("the input changed") == true)
    }

    @Test func failedCanSelectStates() throws {
        let fixture = try Fixture(encoding: .utf8, bom: false)
        defer { fixture.remove() }
        let output = fixture.dir.appendingPathComponent("ok.csv").path
        let summary = try FailedRowsExport(ledgerPath: fixture.ledger, outputPath: output, states: [.ok, .skipped])
            .run()
        #expect(summary.byState == [.ok: 1, .skipped: 1])
    }
}
