import NIOCore
import NIOHTTP1
import Synchronization

/// The export API: `/pl/api/account/{users,deals,payments}` and `/groups/{id}/users` start an export,
/// `/exports/{id}` polls it, `/groups` and `/fields` answer at once.
///
/// Like the real account it runs one export at a time (905), wants at least one filter (908), answers
/// 909 «Файл еще не создан» until the file is ready, and allows a fixed number of export requests per
/// sliding window (903). An export's answer is written to a file when it starts (`ExportSpool`) and sent
/// from there, so its rows never sit in memory. Exports are not kept across a restart, as a finished file
/// would eventually be forgotten too; the last `keptExports` are kept.
final class ExportService: Sendable {
    private struct Export {
        var spool: ExportSpool
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

    /// Older exports (and their files) are forgotten; an export is polled within minutes of starting.
    static let keptExports = 16

    private let configuration: SandboxConfiguration
    private let ledger = Mutex(Ledger())

    init(configuration: SandboxConfiguration) { self.configuration = configuration }

    func reset() { ledger.withLock { $0 = Ledger() } }

    /// Answers one export API request; the second value is the outcome counted for the endpoint.
    ///
    /// Every error carries `error_code` in the shape clients switch on (901 bad key, 904 no key, 903 budget,
    /// 905 busy, 908 no filter, 909 not ready; 404 for what the sandbox does not know).
    func handle(_ request: SandboxRequest, endpoint: String, store: StateStore) -> (SandboxResponse, String) {
        // The export API takes the key in the query (GET), the fields directory also in a POST form.
        let form = request.method == .POST ? request.form : [:]
        guard let key = request.query["key"] ?? form["key"], !key.isEmpty else {
            return (.json(APIAnswer.exportError(904, APIText.noKey)), "call_error")
        }
        guard key == configuration.key || key == configuration.readOnlyKey else {
            return (.json(APIAnswer.exportError(901, APIText.unauthorized)), "call_error")
        }
        guard admitRequest() else { return (.json(APIAnswer.exportError(903, APIText.exportLimit)), "export_error") }
        let components = endpoint.split(separator: "/").dropFirst(3).map(String.init)
        switch components {
        case ["groups"]:
            return (.json(APIAnswer.exportInfo(ExportTables.groups(store.totals.groups))), "ok")
        case ["fields"], []:
            // `action=get` is what clients send; the directory answers whatever the action.
            guard endpoint.hasSuffix("/fields") else { break }
            return (.json(APIAnswer.exportInfo(ExportTables.fields(configuration))), "ok")
        case ["exports", "{id}"]:
            let id = request.path.split(separator: "/").last.flatMap { Int($0) } ?? 0
            return poll(id)
        case ["users"], ["deals"], ["payments"], ["groups", "{id}", "users"]:
            let groupId =
                components.count == 3 ? request.path.split(separator: "/").dropLast().last.flatMap { Int($0) } : nil
            if let groupId, store.totals.groupPosition(id: groupId) == nil {
                return (.json(APIAnswer.exportError(404, APIText.groupNotFound)), "export_error")
            }
            return start(kind: ExportTables.Kind(components[0], groupId: groupId), query: request.query, store: store)
        default:
            break
        }
        return (.json(APIAnswer.exportError(404, APIText.unknownMethod)), "export_error")
    }

    /// The answer when the account's database cannot be read.
    private static let unreadable = (
        SandboxResponse.json(APIAnswer.exportError(500, "State not readable")), "export_error"
    )

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

    private func start(kind: ExportTables.Kind, query: [String: String], store: StateStore) -> (SandboxResponse, String)
    {
        let filters = ExportFilters(query: query, kind: kind)
        guard !filters.isEmpty else { return (.json(APIAnswer.exportError(908, APIText.noFilter)), "export_error") }
        // The rows are taken now, in one read transaction: what the export shows is the account at the
        // moment it was asked for.
        let fields = ExportTables.columns(kind, configuration: configuration)
        let spool = store.read { state in
            ExportSpool.write(fields: fields) { row in
                ExportTables.forEachRow(kind, filters: filters, state: state, configuration: configuration, row)
            }
        }
        guard let spool = spool ?? nil else { return Self.unreadable }
        let now = NIODeadline.now()
        let id: Int? = ledger.withLock { ledger in
            if let running = ledger.running, let export = ledger.exports[running], !isBuilt(export, now: now) {
                return nil
            }
            ledger.running = nil
            let id = ledger.nextId
            ledger.nextId += 1
            let polls = configuration.exportPollsBeforeReady
            ledger.exports[id] = Export(spool: spool, pollsLeft: polls, started: now)
            ledger.exports[id - Self.keptExports] = nil
            if polls > 0 { ledger.running = id }
            return id
        }
        guard let id else { return (.json(APIAnswer.exportError(905, APIText.exportRunning)), "export_error") }
        return (.json(APIAnswer.exportInfo(.object([("export_id", .int(id))]))), "ok")
    }

    private func poll(_ id: Int) -> (SandboxResponse, String) {
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
        case .none: return (.json(APIAnswer.exportError(909, APIText.fileNotReady)), "export_not_ready")
        case .some(.none):
            return (.json(APIAnswer.exportError(404, APIText.exportNotFound)), "export_error")
        case .some(.some(let export)):
            return (.file(export.spool), "ok")
        }
    }

    /// Built once polled enough, or once its build time has passed.
    private func isBuilt(_ export: Export, now: NIODeadline) -> Bool {
        export.pollsLeft <= 0
            || now - export.started >= .nanoseconds(Int64(configuration.exportBuildSeconds * 1e9))
    }
}
