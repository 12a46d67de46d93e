import Foundation

/// What one import call came to, decided from the answer's body as much as from its status.
package struct CallResult: Sendable, Equatable {
    /// The classes of answer the engine acts on.
    package enum Outcome: Sendable, Equatable {
        /// GetCourse did it; the ids it returned, when it returned them.
        case ok(userID: String?, dealID: String?, dealNumber: String?)
        /// GetCourse refused this row (bad email, missing partner, unknown status…): permanent.
        case rejected(message: String)
        /// Transient and known not to have been applied (not written, 5xx, 429): safe to send again.
        /// `retryAfter` is the service's own hint in seconds; `isPushback` means "slow down, everyone".
        case failed(message: String, retryAfter: Double?, isPushback: Bool)
        /// The request went out and no usable answer came back: it may or may not have been applied.
        case unknown(message: String)
        /// The service refused the whole run; nothing more should be sent.
        case fatal(ServiceRefusal)
    }

    var outcome: Outcome
    /// The HTTP status, when an answer came at all.
    var httpStatus: Int?
    /// The call itself was refused (`{"success":false,…}`) with a text not known to be about the run as a
    /// whole. Usually a problem of the row; many in a row mean a problem of the run (a key or account
    /// error worded differently), which the engine stops on.
    var isCallLevelError: Bool
    /// For an ok answer, what GetCourse did with the user: `added`, `updated` or `exists`.
    var userStatus: String?
    /// For an ok deal answer under `system.return_payment_link`, the order's payment page.
    var paymentLink: String?

    init(
        _ outcome: Outcome, httpStatus: Int?, isCallLevelError: Bool = false, userStatus: String? = nil,
        paymentLink: String? = nil
    ) {
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.isCallLevelError = isCallLevelError
        self.userStatus = userStatus
        self.paymentLink = paymentLink
    }
}

/// The service refused the run as a whole (bad key, allowance used up, no API on the plan, wrong account,
/// a redirect): the importer stops sending, saves, and says what to do.
package struct ServiceRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of refusal, each with its own advice.
    package enum Reason: String, Sendable, Equatable {
        case unauthorized
        case forbidden
        case allowanceUsedUp = "allowance_used_up"
        case callLimitExceeded = "call_limit_exceeded"
        case featureUnavailable = "feature_unavailable"
        case emptyBody = "empty_body"
        case httpsOnly = "https_only"
        case actionLost = "action_lost"
        case wrongAccount = "wrong_account"
        case redirected
        case notTheAPI = "not_the_api"
        case repeatedCallError = "repeated_call_error"
    }

    var reason: Reason
    /// What the service said (its own words, or the HTTP status), for the ledger and the message.
    var serviceMessage: String
    /// For a redirect: where the service pointed.
    var location: String?
    /// Whether the call that brought this answer may have been applied (false for every refusal GetCourse
    /// gives before doing anything; true only for an answer that is not the API's at all).
    var rowMayBeApplied: Bool

    init(reason: Reason, serviceMessage: String, location: String? = nil, rowMayBeApplied: Bool = false) {
        self.reason = reason
        self.serviceMessage = serviceMessage
        self.location = location
        self.rowMayBeApplied = rowMayBeApplied
    }

    /// What happened and what to do, for the person running the import.
    package var description: String {
        switch reason {
        case .unauthorized:
            "GetCourse refused the key or the account («\(serviceMessage)»). Check that GETCOURSE_API_KEY "
                + "(or --key-file) holds the secret key from this account's Settings → API, and that "
                + "--account/--endpoint names that account; then run the same command again to resume."
        case .forbidden:
            "GetCourse refused the action («\(serviceMessage)»): the key may not import. Create a key with "
                + "import rights in Settings → API, then run the same command again to resume."
        case .allowanceUsedUp:
            "GetCourse says the plan's allowance of created objects is used up («\(serviceMessage)»). Nothing "
                + "more was sent. Raise the plan or wait for the allowance to renew, then run the same command "
                + "again to resume."
        case .callLimitExceeded:
            "GetCourse says the account's API limit is exceeded («\(serviceMessage)»). Nothing more was sent. "
                + "The account's API statistics (/saas/account/api on the account's site) show the use; wait "
                + "for the limit to renew or lower --rate, then run the same command again to resume."
        case .featureUnavailable:
            "GetCourse says the API is not available on this account («\(serviceMessage)»). Import and export "
                + "through the API need a paid plan; enable it, then run the same command again to resume."
        case .emptyBody:
            "the service answered with an empty body (\(serviceMessage)): this is what GetCourse does for a plan "
                + "without API access. Check the plan (import needs a paid one) and the target, then resume."
        case .httpsOnly:
            "GetCourse only accepts https («\(serviceMessage)»): pass --endpoint https://…"
        case .actionLost:
            "GetCourse did not see the action («\(serviceMessage)»): something between us turned the POST into "
                + "a GET (a redirect or proxy). Pass the account's final https URL as --endpoint."
        case .wrongAccount:
            "no such account (\(serviceMessage)). Check --account (the part before .getcourse.ru or .getcourse.io) or --endpoint."
        case .redirected:
            "the service redirected the call to \(location ?? "another address") (\(serviceMessage)). Redirects are "
                + "not followed because they turn the POST into a GET; pass --endpoint \(suggestedEndpoint) instead."
        case .notTheAPI:
            "the answer is not GetCourse's API (\(serviceMessage)). Check --account/--endpoint."
        case .repeatedCallError:
            "GetCourse refused \(RunConfiguration.callErrorStreakLimit) calls in a row with «\(serviceMessage)»; "
                + "stopping rather than sending the whole file into the same error. Fix the cause, then send "
                + "the rows it rejected again with `gcimport retry --ledger LEDGER --rejected` and resume the "
                + "rest with the same run command."
        }
    }

    /// The site root of the redirect target, ready to pass as `--endpoint`.
    var suggestedEndpoint: String {
        guard let location else { return "URL" }
        if let range = location.range(of: "/pl/api") { return String(location[..<range.lowerBound]) }
        return location
    }
}
