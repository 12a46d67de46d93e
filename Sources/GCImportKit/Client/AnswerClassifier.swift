import Foundation

/// Turns one HTTP answer into a `CallResult`.
///
/// GetCourse answers nearly everything with HTTP 200 and puts the verdict in the body, on two levels:
/// the call (`{"success":false,"error":"…"}`) and the action (`result.success` / `result.error`).
/// Booleans come back as `true`, `"true"` or `1`, ids as numbers or strings; everything is read leniently.
package enum AnswerClassifier {
    /// Call-level texts that mean the whole run is refused, matched case-insensitively as substrings.
    static let refusals: [(needle: String, reason: ServiceRefusal.Reason)] = [
        ("неавторизованное", .unauthorized),
        ("не авторизовано", .unauthorized),
        ("unauthorized", .unauthorized),
        ("invalid key", .unauthorized),
        ("invalid api key", .unauthorized),
        ("действие запрещено", .forbidden),
        ("достигнут лимит", .allowanceUsedUp),
        ("лимит превышен", .callLimitExceeded),
        ("функционал недоступен", .featureUnavailable),
        ("только по https", .httpsOnly),
        ("пустой параметр action", .actionLost),
    ]

    /// Texts that mean "too many requests, slow down" rather than "this row is wrong".
    static let pushbacks = ["слишком много запросов", "too many requests", "rate limit"]

    /// Classifies an answer. `location` and `retryAfter` are the raw header values, when present.
    static func classify(status: Int, body: [UInt8], location: String?, retryAfter: String?) -> CallResult {
        let hint = retryAfter.flatMap(parseRetryAfter)
        switch status {
        case 300..<400:
            let refusal = ServiceRefusal(reason: .redirected, serviceMessage: "HTTP \(status)", location: location)
            return CallResult(.fatal(refusal), httpStatus: status)
        case 429:
            return CallResult(
                .failed(message: "HTTP 429 Too Many Requests", retryAfter: hint, isPushback: true),
                httpStatus: status)
        case 500..<600:
            let text = snippet(body)
            let message = "HTTP \(status)" + (text.isEmpty ? "" : ": \(text)")
            return CallResult(
                .failed(message: message, retryAfter: hint, isPushback: status == 503 && hint != nil),
                httpStatus: status)
        case 401, 403:
            // The body may say which refusal it is («Действие запрещено»…); otherwise it is the key's.
            let text = snippet(body)
            let known = refusal(for: String(decoding: body, as: UTF8.self))
            let refusal = known ?? ServiceRefusal(reason: .unauthorized, serviceMessage: "HTTP \(status) " + text)
            return CallResult(.fatal(refusal), httpStatus: status)
        case 404:
            // A GetCourse answer under 404 says what is wrong itself; a bare 404 is an unknown account.
            if isServiceAnswer(body) { return classifyBody(status: status, body: body) }
            let text = snippet(body)
            let refusal = ServiceRefusal(
                reason: .wrongAccount, serviceMessage: "HTTP 404 " + (text.isEmpty ? "" : text))
            return CallResult(.fatal(refusal), httpStatus: status)
        case 408:
            return CallResult(
                .failed(message: "HTTP 408 Request Timeout", retryAfter: hint, isPushback: false),
                httpStatus: status)
        default:
            let result = classifyBody(status: status, body: body)
            // A success under an error status contradicts itself: whether the row landed is for `verify` to
            // find out, not for the ledger to claim.
            if case .ok = result.outcome, !(200..<300).contains(status) {
                let message = "HTTP \(status) with an answer that says the call succeeded: \(snippet(body))"
                return CallResult(.unknown(message: message), httpStatus: status)
            }
            return result
        }
    }

    /// The body of a 2xx or other 4xx answer decides.
    static func classifyBody(status: Int, body: [UInt8]) -> CallResult {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            let refusal = ServiceRefusal(reason: .emptyBody, serviceMessage: "HTTP \(status), no body")
            return CallResult(.fatal(refusal), httpStatus: status)
        }
        guard let answer = GetCourseAnswer.decode(body) else {
            if (200..<300).contains(status) {
                // Something answered that is not the API (a web page, a proxy): it saw the call, so the
                // row's fate is unknown, and sending the rest of the file there makes no sense.
                let refusal = ServiceRefusal(
                    reason: .notTheAPI, serviceMessage: "HTTP \(status), body: \(snippet(body))", rowMayBeApplied: true)
                return CallResult(.fatal(refusal), httpStatus: status)
            }
            return CallResult(.rejected(message: "HTTP \(status): \(snippet(body))"), httpStatus: status)
        }
        guard answer.success?.bool == true else {
            let message = answer.messages.text ?? "the call failed without a message"
            return callFailure(message, status: status)
        }
        guard let result = answer.result else {
            // A successful call that carries no result object: nothing says the action failed.
            return CallResult(.ok(userID: nil, dealID: nil, dealNumber: nil), httpStatus: status)
        }
        let actionSucceeded = result.success?.bool ?? true
        let actionErred = result.error?.bool ?? false
        if !actionSucceeded || actionErred {
            let message = result.messages.text ?? "GetCourse refused the row without a message"
            if let refusal = refusal(for: message) {
                return CallResult(.fatal(refusal), httpStatus: status)
            }
            if isPushback(message) {
                return CallResult(.failed(message: message, retryAfter: nil, isPushback: true), httpStatus: status)
            }
            return CallResult(.rejected(message: message), httpStatus: status)
        }
        return CallResult(
            .ok(userID: result.userID?.id, dealID: result.dealID?.id, dealNumber: result.dealNumber?.id),
            httpStatus: status, userStatus: result.userStatus?.id, paymentLink: result.paymentLink?.id)
    }

    /// Whether the body is a JSON object with GetCourse's `success` key.
    static func isServiceAnswer(_ body: [UInt8]) -> Bool {
        GetCourseAnswer.decode(body)?.hasSuccess ?? false
    }

    /// A call-level failure: a refusal of the run when the text is a known one, otherwise this row's problem.
    static func callFailure(_ message: String, status: Int) -> CallResult {
        if let refusal = refusal(for: message) {
            return CallResult(.fatal(refusal), httpStatus: status)
        }
        if isPushback(message) {
            return CallResult(.failed(message: message, retryAfter: nil, isPushback: true), httpStatus: status)
        }
        return CallResult(.rejected(message: message), httpStatus: status, isCallLevelError: true)
    }

    static func refusal(for message: String) -> ServiceRefusal? {
        let lowered = message.lowercased()
        guard let match = refusals.first(where: { lowered.contains($0.needle) }) else { return nil }
        return ServiceRefusal(reason: match.reason, serviceMessage: message)
    }

    static func isPushback(_ message: String) -> Bool {
        let lowered = message.lowercased()
        return pushbacks.contains { lowered.contains($0) }
    }

    /// `Retry-After` as seconds: either delta-seconds or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0, seconds.isFinite { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    /// The start of a body, on one line, for messages.
    static func snippet(_ body: [UInt8], limit: Int = 160) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}
