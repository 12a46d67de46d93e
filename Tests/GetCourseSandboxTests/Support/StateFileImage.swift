import Foundation

@testable import GetCourseSandbox

/// The `--state` files as a killed sandbox would leave them, and a restart on them.
///
/// Killing a process loses nothing it handed to the kernel, so a copy of the database and its write-ahead
/// log taken between two calls is exactly what a SIGKILL at that moment leaves. Copying (rather than
/// opening the live files) lets the running sandbox go on undisturbed.
enum StateFileImage {
    /// A fresh `--state` path in the temporary folder.
    static func temporaryPath(_ tag: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("sandbox-\(tag)-\(UInt64.random(in: 0...UInt64.max)).sqlite").path
    }

    /// Copies the database and its log to a new path, as they are now.
    static func copy(of path: String) throws -> String {
        let source = SandboxStateFiles(statePath: path)
        let target = SandboxStateFiles(statePath: temporaryPath("image"))
        for (from, to) in [(source.database, target.database), (source.writeAheadLog, target.writeAheadLog)]
        where FileManager.default.fileExists(atPath: from) {
            try FileManager.default.copyItem(atPath: from, toPath: to)
        }
        return target.database
    }

    /// What a sandbox restarted on `path` holds: its public view and its id sequences.
    static func restart(_ path: String) throws -> (SandboxSnapshot?, AccountSequences?) {
        let store = try StateStore(path: path)
        defer { store.close() }
        return (store.snapshot(), store.read { $0.totals.sequences })
    }

    /// Removes every file of `path`.
    static func remove(_ path: String) {
        try? SandboxStateFiles(statePath: path).removeAll()
    }
}

extension SandboxServer {
    /// The id sequences of the running account, for comparing with a restart.
    var sequences: AccountSequences? {
        store?.read { $0.totals.sequences }
    }
}

extension StateStore {
    /// One users call as the router makes it, straight on the store: a new user and its request count.
    func addUser(_ index: Int, group: String? = nil) {
        _ = update { state in
            let id = state.insertUser { id in
                SandboxUser(
                    id: id, email: "user\(index)@example.com", technicalEmail: false,
                    fields: ["first_name": "Name \(index)", "city": "Москва", "phone": "+7 900 \(1_000_000 + index)"],
                    addfields: [:], groups: [], session: [:], isPartner: false, partnerId: nil,
                    createdAt: "2026-11-23 06:00:00", updatedAt: "2026-11-23 06:00:00", updateCount: 0)
            }
            if let group {
                let groupId = state.groupId(named: group, touchedAt: "2026-11-23 06:00:00")
                state.users[id].groups.append(
                    SandboxMembership(groupId: groupId, name: group, addedAt: "2026-11-23 06:00:00"))
            }
            state.count(endpoint: "/pl/api/users", outcome: "ok")
        }
    }
}
