import NIOCore
import NIOHTTP1

/// Turns a request into an answer: admin paths, injected faults, then the import and export APIs.
///
/// Runs on the event loop thread that read the request; every shared piece it touches is `Sendable` and
/// locks for as long as one call's work (microseconds), so loops do not wait on each other for long.
final class SandboxRouter: Sendable {
    let configuration: SandboxConfiguration
    let store: StateStore
    let faults: FaultPlan
    let rateLimiter: RateLimiter?
    let exports: ExportService
    private let knownUserFields: Set<String>
    private let knownDealFields: Set<String>

    init(configuration: SandboxConfiguration, store: StateStore) {
        self.configuration = configuration
        self.store = store
        faults = FaultPlan(configuration: configuration)
        rateLimiter = configuration.rateLimitPerSecond.map(RateLimiter.init(perSecond:))
        exports = ExportService(configuration: configuration)
        knownUserFields = Set(configuration.additionalFields)
        knownDealFields = Set(configuration.dealAdditionalFields)
    }

    func route(_ request: SandboxRequest) -> RouteOutcome {
        if request.path.hasPrefix("/__sandbox/") { return .respond(admin(request), delay: .zero) }
        if configuration.wrongSubdomain {
            return .respond(.text("Wrong subdomain", status: .notFound), delay: .zero)
        }
        guard request.path.hasPrefix("/pl/api/") else {
            return .respond(.text("Not Found", status: .notFound), delay: .zero)
        }
        let endpoint = Self.endpointName(request.path)
        // Drawn for every API call, whatever happens next, to keep the sequence stable under a seed.
        let draw = faults.next()
        if let target = configuration.redirectTo {
            store.count(endpoint: endpoint, outcome: "redirect")
            let location = String(target.reversed().drop { $0 == "/" }.reversed()) + request.uri
            let response = SandboxResponse(status: .movedPermanently, headers: [("Location", location)], body: [])
            return .respond(response, delay: draw.delay)
        }
        if configuration.emptyBody {
            store.count(endpoint: endpoint, outcome: "empty_body")
            return .respond(SandboxResponse(status: .ok, headers: [], body: []), delay: draw.delay)
        }
        if let rateLimiter, let wait = rateLimiter.admit() {
            store.count(endpoint: endpoint, outcome: "http_429")
            var response = SandboxResponse.json(APIAnswer.callError(APIText.tooManyRequests), status: .tooManyRequests)
            response.headers.append(("Retry-After", String(wait)))
            return .respond(response, delay: draw.delay)
        }
        if draw.fail {
            store.count(endpoint: endpoint, outcome: "http_500")
            return .respond(.text("Internal Server Error", status: .internalServerError), delay: draw.delay)
        }
        let response = api(request, endpoint: endpoint, dropped: draw.drop)
        return draw.drop ? .drop(delay: draw.delay) : .respond(response, delay: draw.delay)
    }

    /// The API proper. When `dropped`, the work is done and counted as `dropped`; the answer is discarded.
    private func api(_ request: SandboxRequest, endpoint: String, dropped: Bool) -> SandboxResponse {
        switch endpoint {
        case "/pl/api/users", "/pl/api/deals":
            return importCall(request, endpoint: endpoint, dropped: dropped)
        default:
            guard endpoint.hasPrefix("/pl/api/account/") || endpoint == "/pl/api/fields" else {
                store.count(endpoint: endpoint, outcome: dropped ? "dropped" : "not_found")
                return .text("Not Found", status: .notFound)
            }
            let (response, outcome) = exports.handle(request, endpoint: endpoint, store: store)
            store.count(endpoint: endpoint, outcome: dropped ? "dropped" : outcome)
            return response
        }
    }

    /// POST /pl/api/users and /pl/api/deals: the call-level checks in the order the service makes them.
    private func importCall(_ request: SandboxRequest, endpoint: String, dropped: Bool) -> SandboxResponse {
        let callError = { (message: String) -> SandboxResponse in
            self.store.count(endpoint: endpoint, outcome: dropped ? "dropped" : "call_error")
            return .json(APIAnswer.callError(message))
        }
        if configuration.requireHTTPS { return callError(APIText.httpsOnly) }
        // A GET (say, a followed redirect) carries no form: the service sees no action at all.
        guard request.method == .POST else { return callError(APIText.emptyAction) }
        let form = request.form
        guard let action = form["action"], !action.isEmpty else { return callError(APIText.emptyAction) }
        guard let key = form["key"], key == configuration.key || key == configuration.readOnlyKey else {
            return callError(APIText.unauthorized)
        }
        let users = endpoint == "/pl/api/users"
        let actions = users ? UserImport.actions : DealImport.actions
        guard key == configuration.key, actions.contains(action) else { return callError(APIText.forbidden) }
        guard let params = ParamsDecoder.decode(form["params"]) else { return callError(APIText.noParams) }
        let context = ImportContext(
            action: action, params: params, now: SandboxClock.now(),
            knownUserFields: knownUserFields, knownDealFields: knownDealFields,
            allowance: configuration.allowance, host: request.headers.first(name: "host") ?? configuration.host
        )
        let result = store.update { state in
            let result = users ? UserImport.handle(state, context) : DealImport.handle(state, context)
            state.count(endpoint: endpoint, outcome: dropped ? "dropped" : result.outcome)
            return result
        }
        // Not committed: answering success would claim a change the account does not hold.
        guard let result else { return .text("State not written", status: .internalServerError) }
        return .json(result.answer)
    }

    /// `/__sandbox/state` and `/__sandbox/reset`, outside the API: never delayed, failed or counted.
    private func admin(_ request: SandboxRequest) -> SandboxResponse {
        switch (request.method, request.path) {
        case (.GET, "/__sandbox/state"):
            return SandboxResponse(
                status: .ok, headers: [("Content-Type", "application/json; charset=utf-8")], body: store.snapshotJSON()
            )
        case (.POST, "/__sandbox/reset"):
            reset()
            return .json(.object([("success", true)]))
        default:
            return .text("Not Found", status: .notFound)
        }
    }

    /// Empties the account back to what it started with: no users or orders, the configured groups.
    func reset() {
        store.reset()
        exports.reset()
        if !configuration.groups.isEmpty { _ = store.update { $0.seed(groups: configuration.groups) } }
    }

    /// The path with ids replaced by `{id}`, so counters group calls by endpoint.
    static func endpointName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let components = trimmed.split(separator: "/", omittingEmptySubsequences: false).map { component in
            !component.isEmpty && component.allSatisfy(\.isASCIIDigit) ? "{id}" : String(component)
        }
        return components.joined(separator: "/")
    }
}

/// `params`: percent-decoded already by the form, then lenient base64, then a JSON object.
enum ParamsDecoder {
    /// The decoded object, or nil for anything the service would answer «Не указаны параметры» to.
    static func decode(_ text: String?) -> JSONValue? {
        guard let text, !text.isEmpty else { return nil }
        let bytes = LenientBase64.decode(text)
        guard !bytes.isEmpty, let value = try? JSONParser.parse(bytes) else { return nil }
        // An empty object or a list is "no parameters" to PHP's `empty()` check.
        guard let members = value.objectMembers, !members.isEmpty else { return nil }
        return value
    }
}
