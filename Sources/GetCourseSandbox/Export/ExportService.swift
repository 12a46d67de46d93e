import NIOCore
import NIOHTTP1
import Synchronization

/// The export API: `/pl/api/account/{users,deals,payments}` and `/groups/{id}/users` start an export,
/// `/exports/{id}` polls it, `/groups` and `/fields` answer at once.
///
/// Like the real account it runs one export at a time (905), wants at least one filter (908), answers
/// 909 «Файл еще не создан» until the file is ready, and allows a fixed number of export requests per
/// sliding window (903). Exports live in memory only; a restart forgets them, as a finished file would
/// eventually be forgotten too.
final class ExportService: Sendable {
    private struct Export {
        var fields: [String]
        var items: [[String]]
        /// Polls still to be answered 909.
        var pollsLeft: Int
        /// When it was asked for: it is built `exportBuildSeconds` later even if nobody polls it.
        var started: NIODeadline
    }

    private struct Ledger {
        var exports: [Int: Export] = [:]
        /// The export still being "built": others are refused with 905 until it is ready.
        var running: Int?
        var nextId = 1
        /// When each counted export request arrived, for the sliding window.
        var requestTimes: [NIODeadline] = []
    }

    private let configuration: SandboxConfiguration
    private let ledger = Mutex(Ledger())

    init(configuration: SandboxConfiguration) { self.configuration = configuration }

    func reset() { ledger.withLock { $0 = Ledger() } }

    /// Answers one export API request; the second value is the outcome counted for the endpoint.
    ///
    /// Every error carries `error_code` in the shape clients switch on (901 bad key, 904 no key, 903 budget,
    /// 905 busy, 908 no filter, 909 not ready; 404 for what the sandbox does not know).
    func handle(_ request: SandboxRequest, endpoint: String, store: StateStore) -> (JSONValue, String) {
        // The export API takes the key in the query (GET), the fields directory also in a POST form.
        let form = request.method == .POST ? request.form : [:]
        guard let key = request.query["key"] ?? form["key"], !key.isEmpty else {
            return (APIAnswer.exportError(904, APIText.noKey), "call_error")
        }
        guard key == configuration.key || key == configuration.readOnlyKey else {
            return (APIAnswer.exportError(901, APIText.unauthorized), "call_error")
        }
        guard admitRequest() else { return (APIAnswer.exportError(903, APIText.exportLimit), "export_error") }
        let components = endpoint.split(separator: "/").dropFirst(3).map(String.init)
        switch components {
        case ["groups"]:
            return (APIAnswer.exportInfo(ExportTables.groups(store.totals.groups)), "ok")
        case ["fields"], []:
            // `action=get` is what clients send; the directory answers whatever the action.
            guard endpoint.hasSuffix("/fields") else { break }
            return (APIAnswer.exportInfo(ExportTables.fields(configuration)), "ok")
        case ["exports", "{id}"]:
            let id = request.path.split(separator: "/").last.flatMap { Int($0) } ?? 0
            return poll(id)
        case ["users"], ["deals"], ["payments"], ["groups", "{id}", "users"]:
            let groupId =
                components.count == 3 ? request.path.split(separator: "/").dropLast().last.flatMap { Int($0) } : nil
            if let groupId, store.totals.groupPosition(id: groupId) == nil {
                return (APIAnswer.exportError(404, APIText.groupNotFound), "export_error")
            }
            return start(kind: ExportTables.Kind(components[0], groupId: groupId), query: request.query, store: store)
        default:
            break
        }
        return (APIAnswer.exportError(404, APIText.unknownMethod), "export_error")
    }

    /// The answer when the account's database cannot be read.
    private static let unreadable = (APIAnswer.exportError(500, "State not readable"), "export_error")

    /// Counts the request in the sliding window; false when the window is full.
    private func admitRequest() -> Bool {
        let now = NIODeadline.now()
        let window = TimeAmount.nanoseconds(Int64(configuration.exportWindowSeconds * 1e9))
        return ledger.withLock { ledger in
            ledger.requestTimes.removeAll { now - $0 >= window }
            guard ledger.requestTimes.count < configuration.exportRequestLimit else { return false }
            ledger.requestTimes.append(now)
            return true
        }
    }

    private func start(kind: ExportTables.Kind, query: [String: String], store: StateStore) -> (JSONValue, String) {
        let filters = ExportFilters(query: query, kind: kind)
        guard !filters.isEmpty else { return (APIAnswer.exportError(908, APIText.noFilter), "export_error") }
        // The table is taken now: what the export shows is the account at the moment it was asked for.
        let table = store.read { ExportTables.table(kind, filters: filters, state: $0, configuration: configuration) }
        guard let table else { return Self.unreadable }
        let now = NIODeadline.now()
        let id: Int? = ledger.withLock { ledger in
            if let running = ledger.running, let export = ledger.exports[running], !isBuilt(export, now: now) {
                return nil
            }
            ledger.running = nil
            let id = ledger.nextId
            ledger.nextId += 1
            let polls = configuration.exportPollsBeforeReady
            ledger.exports[id] = Export(fields: table.fields, items: table.items, pollsLeft: polls, started: now)
            if polls > 0 { ledger.running = id }
            return id
        }
        guard let id else { return (APIAnswer.exportError(905, APIText.exportRunning), "export_error") }
        return (APIAnswer.exportInfo(.object([("export_id", .int(id))])), "ok")
    }

    private func poll(_ id: Int) -> (JSONValue, String) {
        let now = NIODeadline.now()
        let export: Export?? = ledger.withLock { ledger in
            guard var export = ledger.exports[id] else { return .some(nil) }
            if !isBuilt(export, now: now) {
                export.pollsLeft -= 1
                ledger.exports[id] = export
                // After the last "not yet" the file counts as built: a new export may start.
                if export.pollsLeft == 0, ledger.running == id { ledger.running = nil }
                return nil
            }
            if ledger.running == id { ledger.running = nil }
            return export
        }
        switch export {
        case .none: return (APIAnswer.exportError(909, APIText.fileNotReady), "export_not_ready")
        case .some(.none):
            return (APIAnswer.exportError(404, APIText.exportNotFound), "export_error")
        case .some(.some(let export)):
            let items = JSONValue.array(export.items.map { .array($0.map(JSONValue.string)) })
            let info = JSONValue.object([("fields", .array(export.fields.map(JSONValue.string))), ("items", items)])
            return (APIAnswer.exportInfo(info), "ok")
        }
    }

    /// Built once polled enough, or once its build time has passed.
    private func isBuilt(_ export: Export, now: NIODeadline) -> Bool {
        export.pollsLeft <= 0
            || now - export.started >= .nanoseconds(Int64(configuration.exportBuildSeconds * 1e9))
    }
}
