/// How a ``SandboxServer`` behaves: where it listens, which key it accepts, and which faults it injects.
///
/// Every fault is off by default, so a default sandbox is a well-behaved account. Random faults draw from
/// one generator seeded with ``seed``: the same requests in the same order meet the same faults.
package struct SandboxConfiguration: Sendable {
    /// Address to bind. Loopback by default; the sandbox has no TLS and no real secrets.
    var host: String = "127.0.0.1"
    /// TCP port; 0 picks any free port (read it from ``SandboxServer/port`` after `start()`).
    package var port: Int = 0
    /// The secret key the account accepts (`key=` in every call).
    package var key: String = SandboxConfiguration.defaultKey
    /// A second key that may only read (exports); imports with it answer «Действие запрещено».
    var readOnlyKey: String? = nil
    /// SQLite database the account lives in, every call committed before its answer; nil keeps it in a
    /// temporary database deleted at shutdown.
    package var statePath: String? = nil
    /// Seed for the fault generator.
    var seed: UInt64 = 1
    /// Delay before every API answer, in milliseconds.
    var latencyMilliseconds: Int = 0
    /// Each delay is `latency ± jitter`, uniformly drawn.
    var jitterMilliseconds: Int = 0
    /// Share (0…1) of API calls answered HTTP 500 without changing anything.
    var failRate: Double = 0
    /// Share (0…1) of API calls whose change is applied and whose connection is then closed unanswered.
    var dropRate: Double = 0
    /// Calls per second accepted on the API paths; beyond it HTTP 429 with `Retry-After`. nil = no limit.
    var rateLimitPerSecond: Double? = nil
    /// Objects (users + deals) the plan may create; beyond it creations fail with «Достигнут лимит».
    var allowance: Int? = nil
    /// Answer every API call with HTTP 200 and an empty body, as a plan without API access does.
    var emptyBody: Bool = false
    /// Answer every API call with `301 Moved Permanently` to this base URL (an account moved to its own
    /// domain); the original path and query are appended.
    var redirectTo: String? = nil
    /// Answer every request with HTTP 404 `Wrong subdomain`, as for an account that does not exist.
    var wrongSubdomain: Bool = false
    /// Answer every API call with «Доступ возможен только по https», as the real service does over http.
    var requireHTTPS: Bool = false
    /// The account's additional fields, as `/pl/api/account/fields` lists them. Imports keep the values of
    /// these (by title, for the matching object) and drop any other `addfields` name, as GetCourse does.
    package var fields: [SandboxField] = SandboxField.named(
        user: SandboxConfiguration.defaultAdditionalFields, deal: SandboxConfiguration.defaultDealAdditionalFields)
    /// Groups the account has before any import names them; added to the state at start when missing.
    package var groups: [SandboxGroupSeed] = []
    /// Polls of `/pl/api/account/exports/{id}` answered 909 «Файл еще не создан» before the file is ready.
    var exportPollsBeforeReady: Int = 2
    /// Seconds after which an export is built even if nobody polled it (an export whose answer was lost
    /// must not block the account's one export slot for ever).
    var exportBuildSeconds: Double = 30
    /// Export API requests allowed per ``exportWindowSeconds`` (the real account allows 100 per 2 hours).
    var exportRequestLimit: Int = 100
    /// The sliding window of ``exportRequestLimit``, in seconds.
    var exportWindowSeconds: Double = 7200
    /// Event loop threads serving connections.
    var threads: Int = 2

    /// The key a sandbox accepts unless told otherwise.
    package static let defaultKey = "sandbox-key"
    /// Additional user fields of a fresh sandbox account.
    static let defaultAdditionalFields = ["Telegram", "Источник", "Промокод", "Комментарий"]
    /// Additional order fields of a fresh sandbox account.
    static let defaultDealAdditionalFields = ["Менеджер сделки", "Источник заказа"]

    package init(
        host: String = "127.0.0.1",
        port: Int = 0,
        key: String = SandboxConfiguration.defaultKey,
        readOnlyKey: String? = nil,
        statePath: String? = nil,
        seed: UInt64 = 1,
        latencyMilliseconds: Int = 0,
        jitterMilliseconds: Int = 0,
        failRate: Double = 0,
        dropRate: Double = 0,
        rateLimitPerSecond: Double? = nil,
        allowance: Int? = nil,
        emptyBody: Bool = false,
        redirectTo: String? = nil,
        wrongSubdomain: Bool = false,
        requireHTTPS: Bool = false,
        additionalFields: [String] = SandboxConfiguration.defaultAdditionalFields,
        dealAdditionalFields: [String] = SandboxConfiguration.defaultDealAdditionalFields,
        exportPollsBeforeReady: Int = 2,
        exportRequestLimit: Int = 100,
        exportWindowSeconds: Double = 7200,
        threads: Int = 2,
        fields: [SandboxField]? = nil,
        groups: [SandboxGroupSeed] = [],
        exportBuildSeconds: Double = 30
    ) {
        self.host = host
        self.port = port
        self.key = key
        self.readOnlyKey = readOnlyKey
        self.statePath = statePath
        self.seed = seed
        self.latencyMilliseconds = latencyMilliseconds
        self.jitterMilliseconds = jitterMilliseconds
        self.failRate = failRate
        self.dropRate = dropRate
        self.rateLimitPerSecond = rateLimitPerSecond
        self.allowance = allowance
        self.emptyBody = emptyBody
        self.redirectTo = redirectTo
        self.wrongSubdomain = wrongSubdomain
        self.requireHTTPS = requireHTTPS
        self.fields = fields ?? SandboxField.named(user: additionalFields, deal: dealAdditionalFields)
        self.groups = groups
        self.exportBuildSeconds = exportBuildSeconds
        self.exportPollsBeforeReady = exportPollsBeforeReady
        self.exportRequestLimit = exportRequestLimit
        self.exportWindowSeconds = exportWindowSeconds
        self.threads = threads
    }

    /// Checks the knobs before the server binds.
    func validate() throws(SandboxError) {
        guard (0...65_535).contains(port) else { throw .invalidConfiguration("port \(port) is not 0…65535") }
        guard !key.isEmpty else { throw .invalidConfiguration("the key must not be empty") }
        for (name, rate) in [("fail rate", failRate), ("drop rate", dropRate)] where !(0...1).contains(rate) {
            throw .invalidConfiguration("\(name) \(rate) is not between 0 and 1")
        }
        guard latencyMilliseconds >= 0, jitterMilliseconds >= 0 else {
            throw .invalidConfiguration("latency and jitter must not be negative")
        }
        if let rate = rateLimitPerSecond, !(rate > 0) {
            throw .invalidConfiguration("rate limit \(rate)/s must be above 0")
        }
        if let allowance, allowance < 0 { throw .invalidConfiguration("allowance must not be negative") }
        guard exportPollsBeforeReady >= 0, exportRequestLimit >= 0, exportWindowSeconds > 0, exportBuildSeconds >= 0
        else {
            throw .invalidConfiguration("export knobs must not be negative")
        }
        guard threads >= 1 else { throw .invalidConfiguration("at least one thread is needed") }
    }

    /// The titles of the account's additional user fields.
    var additionalFields: [String] { fields.filter { $0.context == .user }.map(\.title) }
    /// The titles of the account's additional order fields.
    var dealAdditionalFields: [String] { fields.filter { $0.context == .deal }.map(\.title) }
}
