import Foundation

/// Where the import calls go: an account on getcourse.ru, an account on its own domain, or the sandbox.
package struct ImportTarget: Sendable, Equatable, CustomStringConvertible {
    /// `scheme://host[:port][/prefix]`, without a trailing slash; the API paths are appended to it.
    package var baseURL: String
    /// What the ledger header records (never a key): the base URL, or `sandbox` for the built-in one,
    /// whose port changes from run to run.
    package var ledgerName: String

    init(baseURL: String, ledgerName: String) {
        self.baseURL = baseURL
        self.ledgerName = ledgerName
    }

    package var description: String { baseURL }

    /// The full URL of the import call for `kind`.
    func url(for kind: ImportKind) -> String {
        baseURL + kind.endpointPath
    }

    /// GetCourse's own domains; an account is a subdomain of one of them (seed 000 uses both).
    static let serviceDomains = ["getcourse.ru", "getcourse.io"]

    /// `--account NAME`: https://NAME.getcourse.ru. `NAME.getcourse.ru` and `NAME.getcourse.io` (with or
    /// without `https://` and a trailing slash) name the account on that domain.
    package static func account(_ name: String) throws(ImportTargetError) -> ImportTarget {
        var account = name.trimmingCharacters(in: .whitespaces).lowercased()
        if account.hasPrefix("https://") { account.removeFirst("https://".count) }
        while account.hasSuffix("/") { account.removeLast() }
        var domain = serviceDomains[0]
        if let given = serviceDomains.first(where: { account.hasSuffix("." + $0) }) {
            domain = given
            account.removeLast(given.count + 1)
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard !account.isEmpty, account.allSatisfy({ allowed.contains($0) }), !account.hasPrefix("-") else {
            throw .badAccount(name)
        }
        let base = "https://\(account).\(domain)"
        return ImportTarget(baseURL: base, ledgerName: base)
    }

    /// `--endpoint URL`: an account on its own domain. `http://` is refused unless the host is loopback
    /// (GetCourse answers «Доступ возможен только по https», and the key would cross the network in clear).
    /// A trailing `/pl/api/...` is dropped, so the URL of a single call works as well as the site's root.
    package static func endpoint(_ text: String) throws(ImportTargetError) -> ImportTarget {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty
        else { throw .badEndpoint(text, reason: "it is not an absolute URL like https://school.example.com") }
        guard scheme == "https" || scheme == "http" else {
            throw .badEndpoint(text, reason: "the scheme must be https")
        }
        guard components.user == nil, components.password == nil else {
            throw .badEndpoint(text, reason: "it must not carry a user name or password")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .badEndpoint(text, reason: "it must not carry a query or fragment; the key goes in the body")
        }
        if scheme == "http" && !isLoopback(host) {
            throw .plainHTTP(text)
        }
        var path = components.path
        if let range = path.range(of: "/pl/api") { path = String(path[..<range.lowerBound]) }
        while path.hasSuffix("/") { path.removeLast() }
        let hostPart = host.contains(":") ? "[\(host)]" : host.lowercased()
        let port = components.port.map { ":\($0)" } ?? ""
        let base = "\(scheme)://\(hostPart)\(port)\(path)"
        return ImportTarget(baseURL: base, ledgerName: base)
    }

    /// The built-in sandbox at `baseURL` (a loopback address that changes each run).
    package static func sandbox(baseURL: String) -> ImportTarget {
        ImportTarget(baseURL: baseURL, ledgerName: "sandbox")
    }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// A target that cannot be used, with the fix.
package enum ImportTargetError: Error, Sendable, Equatable, CustomStringConvertible {
    case badAccount(String)
    case badEndpoint(String, reason: String)
    case plainHTTP(String)

    package var description: String {
        switch self {
        case .badAccount(let name):
            "--account \(name): an account name is the part before .getcourse.ru or .getcourse.io (letters, "
                + "digits, hyphens), e.g. school or school.getcourse.io; "
                + "for an account on its own domain pass --endpoint https://DOMAIN"
        case .badEndpoint(let text, let reason):
            "--endpoint \(text): \(reason)"
        case .plainHTTP(let text):
            "--endpoint \(text): plain http is refused (GetCourse only answers over https, and the key would "
                + "travel unencrypted); use https://"
        }
    }
}
