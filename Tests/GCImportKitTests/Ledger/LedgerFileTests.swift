import Foundation
import Testing

@testable import GCImportKit

@Suite struct LedgerFileTests {
    @Test func writesAndReadsBackAWholeLedger() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.jsonl").path
        let writer = try LedgerWriter.create(path: path, header: sampleHeader())
        try writer.write(run: LedgerRunRecord(command: "run", options: ["workers": "4"]))
        try writer.write(LedgerEvent(row: 1, line: 2, state: .sent, attempt: 1))
        try writer.write(LedgerEvent(row: 2, line: 3, state: .invalid, error: "bad email"))
        try writer.write(LedgerEvent(row: 1, line: 2, state: .failed, attempt: 1, httpStatus: 500))
        try writer.write(LedgerEvent(row: 1, line: 2, state: .sent, attempt: 2))
        try writer.write(LedgerEvent(row: 1, line: 2, state: .ok, attempt: 2, userID: "7"))
        try writer.write(LedgerEvent(row: 4, line: 6, state: .sent, attempt: 1))
        try writer.close()

        let snapshot = try LedgerSnapshot.load(path: path)
        #expect(snapshot.header == sampleHeader())
        #expect(snapshot.runs.map(\.command) == ["run"])
        #expect(snapshot.state(ofRow: 1) == .ok)
        #expect(snapshot.attempts(ofRow: 1) == 2)
        #expect(snapshot.state(ofRow: 2) == .invalid)
        #expect(snapshot.state(ofRow: 3) == nil)
        #expect(snapshot.state(ofRow: 4) == .sent)
        #expect(snapshot.rowCount == 4)
        #expect(snapshot.counts() == [.ok: 1, .invalid: 1, .unknown: 1])
        #expect(!snapshot.hadTornLine)
    }

    @Test func createRefusesToOverwriteAndASecondWriterIsLockedOut() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.jsonl").path
        let writer = try LedgerWriter.create(path: path, header: sampleHeader())
        #expect(throws: LedgerError.self) { try LedgerWriter.create(path: path, header: sampleHeader()) }
        let second = Result { try LedgerWriter.append(path: path) }
        #expect(String(describing: second).contains("another gcimport process"))
        try writer.close()
        let third = try LedgerWriter.append(path: path)
        try third.close()
    }

    @Test func aTornLastLineIsIgnoredOnReadAndCutOffOnAppend() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.jsonl").path
        let writer = try LedgerWriter.create(path: path, header: sampleHeader())
        try writer.write(LedgerEvent(row: 1, line: 2, state: .ok))
        try writer.close()
        // A crash in the middle of a write leaves half a line.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"row":2,"line":3,"sta"#.utf8))
        try handle.close()

        let torn = try LedgerSnapshot.load(path: path)
        #expect(torn.hadTornLine)
        #expect(torn.state(ofRow: 2) == nil)

        let resumed = try LedgerWriter.append(path: path)
        try resumed.write(LedgerEvent(row: 2, line: 3, state: .ok))
        try resumed.close()
        let healed = try LedgerSnapshot.load(path: path)
        #expect(!healed.hadTornLine)
        #expect(healed.state(ofRow: 2) == .ok)
    }

    @Test func aDamagedMiddleLineIsAnErrorNamingIt() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.jsonl").path
        let writer = try LedgerWriter.create(path: path, header: sampleHeader())
        try writer.close()
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(
            Data("{\"row\":1,\"line\":2,\"state\":\"ok\"}\nnot json\n{\"row\":2,\"line\":3,\"state\":\"ok\"}\n".utf8))
        try handle.close()
        let error = #expect(throws: LedgerError.self) { try LedgerSnapshot.load(path: path) }
        #expect(error?.description.contains("l.jsonl:3:") == true)
    }

    /// Found by the ledger fuzz target: a damaged row number sized the resume's row table (16 GB) and the
    /// process died. A row past what the header's input can hold (one byte a row at least) is a damaged line,
    /// in the compact reading of a resume, the full reading of `report` and `verify`'s.
    @Test func aRowPastTheEndOfTheInputIsADamagedLine() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.jsonl").path
        let writer = try LedgerWriter.create(path: path, header: sampleHeader())
        try writer.write(LedgerEvent(row: 100, line: 101, state: .ok))
        try writer.write(LedgerEvent(row: 16_666_666_666, line: 2, state: .sent))
        try writer.close()
        let compact = #expect(throws: LedgerError.self) { try LedgerSnapshot.load(path: path) }
        #expect(compact?.description.contains("l.jsonl:3:") == true)
        #expect(compact?.description.contains("row 16666666666 is past the end of the input") == true)
        let full = #expect(throws: LedgerError.self) { try LedgerReport.build(ledgerPath: path) }
        #expect(full?.description.contains("l.jsonl:3:") == true)
        #expect(throws: LedgerError.self) { try VerifyLedger.load(path: path) }
    }

    @Test func aFileThatIsNotALedgerIsRefused() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("users.csv").path
        try Data("Email;Имя\na@b.ru;Анна\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: LedgerError.self) { try LedgerSnapshot.load(path: path) }
        #expect(error?.description.contains("not a gcimport ledger") == true)
    }

    @Test func aFullDiskIsReportedAsSuchAndStopsLaterWrites() throws {
        // /dev/full answers every write with ENOSPC, like a disk with no space left.
        let writer = try LedgerWriter.append(path: "/dev/full")
        let error = #expect(throws: LedgerError.self) { try writer.write(LedgerEvent(row: 1, line: 2, state: .sent)) }
        #expect(error?.isDiskFull == true)
        #expect(error?.description.contains("free some space and run the same command again") == true)
        #expect(throws: LedgerError.self) { try writer.write(LedgerEvent(row: 2, line: 3, state: .sent)) }
    }

    @Test func fileIdentityHashesContent() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.csv")
        try Data("abc".utf8).write(to: url)
        let identity = try FileIdentity.of(path: url.path)
        #expect(identity.size == 3)
        #expect(identity.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func headerMismatchSaysWhatChanged() {
        let original = sampleHeader()
        #expect(original.mismatch(with: sampleHeader()) == nil)
        #expect(original.mismatch(with: sampleHeader(inputHash: "cc"))?.contains("input file changed") == true)
        #expect(original.mismatch(with: sampleHeader(mappingHash: "dd"))?.contains("mapping file changed") == true)
        #expect(original.mismatch(with: sampleHeader(target: "https://x.getcourse.ru"))?.contains("targets") == true)
    }
}
