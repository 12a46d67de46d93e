import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// How the account API is asked; defaults suit the real GetCourse (exports take seconds to minutes).
package struct AccountClientConfiguration: Sendable {
    /// Seconds to wait for one answer; a large export is one large body.
    package var timeout: Double = 300
    var connectTimeout: Double = 10
    /// Attempts per call for transient failures (5xx, 429, dropped connections); each one is counted
    /// against the export budget.
    package var maxAttempts = 6
    var backoff = Backoff(base: 1, cap: 60)
    /// The waits between polls of an export that is not ready: from `base`, doubling, at most `cap`.
    package var pollBackoff = Backoff(base: 2, cap: 60)
    /// The waits while the account says its export budget is spent (903): the window is 2 hours, so long.
    var budgetBackoff = Backoff(base: 60, cap: 600)
    /// How long to wait for the account's one export slot (905) or its budget (903) before giving up.
    var maxBusyWait: Double = 1800
    package var maxBudgetWait: Double = 7200
    /// Largest answer kept; an export of a whole school is one JSON body.
    var maxBodyBytes = 1 << 30

    package init() {}
}

/// What an export lists, with its filter: `created_at[from]=…` and the like.
package struct ExportRequest: Sendable, Equatable {
    package enum Object: Sendable, Equatable {
        case users
        case deals
        case groupUsers(groupID: Int)
    }

    var object: Object
    /// Filter parameters in the order they are sent; dates `YYYY-MM-DD`.
    var filters: [(name: String, value: String)]

    init(object: Object, filters: [(name: String, value: String)]) {
        self.object = object
        self.filters = filters
    }

    package static func == (lhs: ExportRequest, rhs: ExportRequest) -> Bool {
        lhs.object == rhs.object && lhs.filterText == rhs.filterText
    }

    var path: String {
        switch object {
        case .users: "/pl/api/account/users"
        case .deals: "/pl/api/account/deals"
        case .groupUsers(let id): "/pl/api/account/groups/\(id)/users"
        }
    }

    /// For the ledger and messages: `users`, `deals` or `group_users`.
    var objectName: String {
        switch object {
        case .users: "users"
        case .deals: "deals"
        case .groupUsers: "group_users"
        }
    }

    var groupID: Int? {
        if case .groupUsers(let id) = object { return id }
        return nil
    }

    /// `created_at[from]=2026-11-22&created_at[to]=2026-11-25`, unencoded, as the ledger shows it.
    var filterText: String { filters.map { "\($0.name)=\($0.value)" }.joined(separator: "&") }
}

/// Why the account API could not answer; `gcimport check` and `verify` turn it into their exit status.
package enum AccountError: Error, Sendable, CustomStringConvertible {
    /// The key, account or plan refuses (as for an import run).
    case refused(ServiceRefusal)
    /// gcimport's own count says the 100-per-2-hours export budget is spent; `freeAt` is when a call is
    /// allowed again (seconds since 1970).
    case budgetSpent(used: Int, limit: Int, freeAt: Double?)
    /// The account kept answering 905 or 903 longer than gcimport waits.
    case waitedTooLong(String)
    /// Transient failures outlasted the attempts.
    case unavailable(String)
    /// An answer gcimport cannot use.
    case unexpected(String)
    /// Ctrl-C or SIGTERM.
    case stopped

    package var description: String {
        switch self {
        case .refused(let refusal): refusal.description
        case .budgetSpent(let used, let limit, let freeAt):
            "the account's export budget is spent (\(used) of \(limit) requests in the last 2 hours, counting "
                + "this ledger's earlier ones)"
                + (freeAt.map { "; the next request is allowed at \(LedgerClock.format(secondsSince1970: $0))" } ?? "")
                + ". Run the same command again then: it continues where it stopped"
        case .waitedTooLong(let what): what
        case .unavailable(let reason): "the account API did not answer usefully: \(reason)"
        case .unexpected(let reason): "unexpected answer from the account API: \(reason)"
        case .stopped: "stopped"
        }
    }
}

/// The account's read API (`/pl/api/account/...`) over AsyncHTTPClient: the fields and groups directories
/// and the export flow (start, poll until built). Every call is a read, so one that fails in transit is
/// asked again; every call is counted against the export budget; waits wake on Ctrl-C. The key travels in
/// the query, as the API wants, and never into a message.
package final class AccountClient: Sendable {
    private let http: HTTPClient
    private let target: ImportTarget
    private let key: APIKey
    private let configuration: AccountClientConfiguration
    let budget: ExportBudget
    private let control: RunControl
    private let say: @Sendable (String) -> Void
    private let userAgent = "gcimport/\(GCImportVersion.current)"

    /// - Parameter say: progress lines for people (waits, polls); never carries the key.
    package init(
        target: ImportTarget, key: APIKey, configuration: AccountClientConfiguration = .init(),
        budget: ExportBudget = ExportBudget(), control: RunControl = RunControl(),
        say: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.target = target
        self.key = key
        self.configuration = configuration
        self.budget = budget
        self.control = control
        self.say = say
        http = .getCourse(
            connections: 1, connectTimeout: configuration.connectTimeout, timeout: configuration.timeout)
    }

    /// Closes the HTTP client's connections; call once, when the client's work is done.
    @available(*, noasync, message: "blocks until the connection is closed")
    package func shutdown() {
        try? http.syncShutdown()
    }

    // MARK: Directories

    /// The account's additional fields. Also proves the key works and the plan has the API.
    @available(*, noasync, message: "blocks its thread")
    func fields() throws(AccountError) -> [AccountField] {
        try call("/pl/api/account/fields", form: [("action", "get")], what: "the fields directory").fields
    }

    @available(*, noasync, message: "blocks its thread")
    func groups() throws(AccountError) -> [AccountGroup] {
        try call("/pl/api/account/groups", query: [], what: "the groups list").groups
    }

    // MARK: Exports

    /// Starts an export and returns its id, waiting while the account builds another one (905).
    @available(*, noasync, message: "blocks its thread")
    func startExport(_ request: ExportRequest) throws(AccountError) -> Int {
        let what = "the export of \(request.objectName) (\(request.filterText))"
        let started = Monotonic.now()
        var waits = 0
        while true {
            switch try answer(request.path, query: request.filters, form: nil, what: what) {
            case .info(let info):
                guard let id = info.exportID else { throw .unexpected("\(what): no export_id in the answer") }
                return id
            case .busy:
                waits += 1
                try wait(
                    configuration.pollBackoff.ceiling(afterAttempt: waits), since: started,
                    limit: configuration.maxBusyWait,
                    reason: "the account is building another export (905)",
                    giveUp: "the account kept building another export for \(Int(configuration.maxBusyWait)) s (905); "
                        + "run the same command again later")
            case .notReady:
                throw .unexpected("\(what): 909 to a new export")
            default:
                throw .unexpected("\(what): the answer does not start an export")
            }
        }
    }

    /// Polls an export until it is built; nil when the account does not know the id (a forgotten export).
    @available(*, noasync, message: "blocks its thread")
    /// `keeping` picks the columns to read from the titles (nil: all of them).
    func waitForExport(
        id: Int, what: String, keeping: (([String]) -> [Int])? = nil
    ) throws(AccountError) -> ExportTable? {
        var polls = 0
        while true {
            switch try answer("/pl/api/account/exports/\(id)", query: [], form: nil, what: what) {
            case .info(let info):
                guard let table = info.table(keeping: keeping) else {
                    throw .unexpected("\(what): the export has no fields and items")
                }
                return table
            case .notReady:
                polls += 1
                let delay = configuration.pollBackoff.ceiling(afterAttempt: polls)
                say(
                    "  \(what): not ready yet (909); asking again in \(Self.seconds(delay)) "
                        + "(\(budget.used()) of \(budget.limit) export requests used in the last 2 hours)")
                guard control.sleep(seconds: delay) else { throw .stopped }
            case .failed(let code, _) where code == 404:
                return nil
            default:
                throw .unexpected("\(what): the answer is not an export")
            }
        }
    }

    // MARK: Calls

    private func call(
        _ path: String, query: [(name: String, value: String)] = [], form: [(String, String)]? = nil, what: String
    ) throws(AccountError) -> AccountInfo {
        switch try answer(path, query: query, form: form, what: what) {
        case .info(let info): return info
        case .notReady, .busy: throw .unexpected("\(what): an export answer to a directory call")
        default: throw .unexpected("\(what): unexpected answer")
        }
    }

    /// One call, asked again while the failure is transient or the budget is spent at the account (903);
    /// refusals and other errors end it.
    private func answer(
        _ path: String, query: [(name: String, value: String)], form: [(String, String)]?, what: String
    ) throws(AccountError) -> AccountAnswer {
        var attempts = 0
        var budgetWaits = 0
        let started = Monotonic.now()
        while true {
            if control.isStopping { throw .stopped }
            guard budget.take() else {
                throw .budgetSpent(used: budget.used(), limit: budget.limit, freeAt: budget.nextFree())
            }
            let answer = send(path, query: query, form: form)
            switch answer {
            case .refused(let refusal): throw .refused(redacted(refusal))
            case .failed(let code, let message) where code != 404:
                throw .unexpected("\(what): \(code.map { "error \($0): " } ?? "")\(key.redact(message))")
            case .transient(let message, let retryAfter):
                attempts += 1
                guard attempts < configuration.maxAttempts else {
                    throw .unavailable("\(what): \(key.redact(message)) (\(attempts) attempts)")
                }
                let delay = configuration.backoff.delay(afterAttempt: attempts, retryAfter: retryAfter)
                say("  \(what): \(key.redact(message)); asking again in \(Self.seconds(delay))")
                guard control.sleep(seconds: delay) else { throw .stopped }
            case .budgetSpent:
                budgetWaits += 1
                try wait(
                    configuration.budgetBackoff.ceiling(afterAttempt: budgetWaits), since: started,
                    limit: configuration.maxBudgetWait,
                    reason: "the account's export budget is spent (903: at most 100 requests in 2 hours)",
                    giveUp: "the account's export budget stayed spent (903) for \(Int(configuration.maxBudgetWait)) s; "
                        + "run the same command again later")
            default:
                return answer
            }
        }
    }

    /// A refusal as it may be shown: a redirect's `Location` can carry the query, and the query the key.
    private func redacted(_ refusal: ServiceRefusal) -> ServiceRefusal {
        var copy = refusal
        copy.serviceMessage = key.redact(refusal.serviceMessage)
        copy.location = refusal.location.map { location in
            key.redact(String(location.prefix { $0 != "?" }))
        }
        return copy
    }

    private func wait(_ delay: Double, since started: UInt64, limit: Double, reason: String, giveUp: String)
        throws(AccountError)
    {
        guard Monotonic.seconds(Monotonic.now() - started) + delay <= limit else { throw .waitedTooLong(giveUp) }
        say("  \(reason); waiting \(Self.seconds(delay))")
        guard control.sleep(seconds: delay) else { throw .stopped }
    }

    @available(*, noasync, message: "blocks its thread")
    private func send(_ path: String, query: [(name: String, value: String)], form: [(String, String)]?)
        -> AccountAnswer
    {
        let keyPair = [("key", key.secret)]
        var url = target.baseURL + path
        var body: [UInt8]?
        if let form {
            body = Array(Self.encode(keyPair + form).utf8)
        } else {
            url += "?" + Self.encode(keyPair + query.map { ($0.name, $0.value) })
        }
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: userAgent)
        if body != nil { headers.add(name: "Content-Type", value: FormBody.contentType) }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: url, method: body == nil ? .GET : .POST, headers: headers, body: body.map { .bytes($0) })
        } catch {
            return .refused(ServiceRefusal(reason: .notTheAPI, serviceMessage: "bad URL \(target.baseURL)\(path)"))
        }
        let collector = ResponseCollector(requestBodyBytes: body?.count ?? 0, maxBodyBytes: configuration.maxBodyBytes)
        let deadline = NIODeadline.now() + .milliseconds(Int64((configuration.timeout + 15) * 1000))
        do {
            let answer = try http.execute(request: request, delegate: collector, deadline: deadline).wait()
            return AccountAnswer.read(
                status: answer.status, body: answer.body, location: answer.location, retryAfter: answer.retryAfter)
        } catch {
            return .transient(message: ImportClient.describe(error, timeout: configuration.timeout), retryAfter: nil)
        }
    }

    /// `name=value&…`, percent-encoded (brackets too: `created_at%5Bfrom%5D`).
    static func encode(_ pairs: [(String, String)]) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        func escape(_ text: String) -> String {
            var out = ""
            for byte in text.utf8 {
                if unreserved.contains(byte) {
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    let hex = String(byte, radix: 16, uppercase: true)
                    out += "%" + (hex.count == 1 ? "0" + hex : hex)
                }
            }
            return out
        }
        return pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func seconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1f s", value) : "\(Int(value.rounded())) s"
    }
}
