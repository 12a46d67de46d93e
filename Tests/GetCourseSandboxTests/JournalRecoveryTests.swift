import Foundation
import Testing

@testable import GetCourseSandbox

/// Restarting on what a kill leaves: torn lines, and every moment of a compaction.
@Suite struct JournalRecoveryTests {
    @Test func aTornLastLineIsDroppedAndCompactedAway() throws {
        let path = StateFileImage.temporaryPath("torn")
        defer { StateFileImage.remove(path) }
        let store = try StateStore(path: path)
        for index in 0..<20 { store.addUser(index, group: "G\(index % 2)") }
        let expected = store.snapshot()
        store.abandon()
        let files = SandboxStateFiles(statePath: path)
        // Half of a record: the process died inside write(2).
        let handle = try #require(FileHandle(forWritingAtPath: files.journal))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"users":[{"at":20,"value":{"id":1000"#.utf8))
        handle.closeFile()

        let restarted = try StateStore(path: path)
        #expect(restarted.snapshot() == expected)
        #expect(StateFileImage.size(files.journal) == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        // Appends after the restart land on clean lines.
        restarted.addUser(20)
        restarted.abandon()
        #expect(try StateFileImage.restart(path).0.summary.users == 21)
    }

    @Test func aDamagedLineBeforeTheEndIsRefused() throws {
        let path = StateFileImage.temporaryPath("damaged")
        defer { StateFileImage.remove(path) }
        let store = try StateStore(path: path)
        for index in 0..<3 { store.addUser(index) }
        store.abandon()
        let journal = SandboxStateFiles(statePath: path).journal
        var lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        lines[1] = "{not json"
        try (lines.joined(separator: "\n") + "\n").write(toFile: journal, atomically: false, encoding: .utf8)
        #expect(throws: SandboxError.self) { try StateStore(path: path) }
    }

    @Test func aJournalThatDoesNotFitTheSnapshotIsRefused() throws {
        let path = StateFileImage.temporaryPath("misfit")
        defer { StateFileImage.remove(path) }
        let store = try StateStore(path: path, minimumCompactionSize: .max)
        for index in 0..<3 { store.addUser(index) }
        store.abandon()
        // Without its snapshot, a journal that starts at user 3 would leave a hole.
        let later = try StateStore(path: path)
        for index in 3..<5 { later.addUser(index) }
        later.abandon()
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: SandboxError.self) { try StateStore(path: path) }
    }

    /// A compaction killed after the journal was set aside, after the snapshot landed but before the old
    /// journal went, and after it finished: the restart holds the same account each time.
    @Test func aKillAtAnyStepOfACompactionLosesNothing() async throws {
        let path = StateFileImage.temporaryPath("compaction")
        defer { StateFileImage.remove(path) }
        let files = SandboxStateFiles(statePath: path)
        let store = try StateStore(path: path, minimumCompactionSize: 16 * 1024)
        for index in 0..<10 { store.addUser(index, group: "G\(index % 3)") }
        // Held, so the compaction stops between setting the journal aside and writing the snapshot.
        store.compactor.suspend()
        var index = 10
        while !FileManager.default.fileExists(atPath: files.previousJournal) {
            store.addUser(index, group: "G\(index % 3)")
            index += 1
        }
        for more in index..<(index + 5) { store.addUser(more) }
        #expect(!FileManager.default.fileExists(atPath: path))
        let asideImage = try StateFileImage.copy(of: path)
        defer { StateFileImage.remove(asideImage) }
        let oldJournal = try Data(contentsOf: URL(fileURLWithPath: files.previousJournal))
        let expected = (store.snapshot(), store.read(\.sequences))

        store.compactor.resume()
        store.compactor.sync {}
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: files.previousJournal))
        let doneImage = try StateFileImage.copy(of: path)
        defer { StateFileImage.remove(doneImage) }
        let renamedImage = try StateFileImage.copy(of: path)
        defer { StateFileImage.remove(renamedImage) }
        try oldJournal.write(to: URL(fileURLWithPath: SandboxStateFiles(statePath: renamedImage).previousJournal))

        for image in [asideImage, renamedImage, doneImage] {
            let (snapshot, sequences) = try StateFileImage.restart(image)
            #expect(snapshot == expected.0)
            #expect(sequences == expected.1)
            #expect(!FileManager.default.fileExists(atPath: SandboxStateFiles(statePath: image).previousJournal))
        }
        await store.close()
    }

    /// The journal is folded in on a clean stop; `removeAll` starts a new account.
    @Test func cleanShutdownLeavesOnlyTheSnapshot() async throws {
        let path = StateFileImage.temporaryPath("clean")
        defer { StateFileImage.remove(path) }
        let files = SandboxStateFiles(statePath: path)
        var live: SandboxSnapshot?
        try await SandboxHarness.with(SandboxConfiguration(statePath: path)) { sandbox in
            try await JournalTests.mixedCalls(sandbox)
            #expect(FileManager.default.fileExists(atPath: files.journal))
            live = sandbox.server.snapshot()
        }
        #expect(FileManager.default.fileExists(atPath: path))
        for leftover in [files.journal, files.previousJournal, files.temporary] {
            #expect(!FileManager.default.fileExists(atPath: leftover))
        }
        #expect(try StateFileImage.restart(path).0 == live)

        try files.removeAll()
        #expect(try StateFileImage.restart(path).0.summary.users == 0)
    }
}
