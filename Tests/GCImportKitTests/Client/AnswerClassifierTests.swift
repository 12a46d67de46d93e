import Testing

@testable import GCImportKit

@Suite struct AnswerClassifierTests {
    private func classify(_ body: String, status: Int = 200, location: String? = nil, retryAfter: String? = nil)
        -> CallResult.Outcome
    {
        AnswerClassifier.classify(status: status, body: Array(body.utf8), location: location, retryAfter: retryAfter)
            .outcome
    }

    @Test(arguments: [
        #"{"success":true,"action":"add","result":{"success":true,"user_id":189870964,"user_status":"added","error_message":"","error":false}}"#,
        #"{"success":"true","action":"add","result":{"success":"true","user_id":"189870964","error":"false"}}"#,
        #"{"success":1,"result":{"success":1,"user_id":189870964.0,"error":0}}"#,
    ])
    func successInEveryShape(body: String) {
        #expect(classify(body) == .ok(userID: "189870964", dealID: nil, dealNumber: nil))
    }

    @Test func aByteOrderMarkBeforeTheJSONIsIgnored() {
        #expect(
            classify("\u{FEFF}" + #"{"success":true,"result":{"success":true,"user_id":7}}"#)
                == .ok(userID: "7", dealID: nil, dealNumber: nil))
    }

    @Test func dealIdsAndNumber() {
        let body =
            #"{"success":true,"result":{"success":true,"user_id":"5","deal_id":77,"deal_number":"A-1","payment_link":""}}"#
        #expect(classify(body) == .ok(userID: "5", dealID: "77", dealNumber: "A-1"))
    }

    @Test func actionLevelErrorRejectsTheRow() {
        let body = #"{"success":true,"result":{"success":false,"error":true,"error_message":"Неверный email"}}"#
        #expect(classify(body) == .rejected(message: "Неверный email"))
        let stringly =
            #"{"success":"true","result":{"success":"false","error":"true","error_message":"Партнер не найден"}}"#
        #expect(classify(stringly) == .rejected(message: "Партнер не найден"))
    }

    @Test(arguments: [
        ("Неавторизованное API-обращение", ServiceRefusal.Reason.unauthorized),
        ("Действие запрещено", .forbidden),
        ("Достигнут лимит", .allowanceUsedUp),
        ("Функционал недоступен", .featureUnavailable),
        ("Доступ возможен только по https", .httpsOnly),
        ("Пустой параметр action", .actionLost),
        ("Не авторизовано", .unauthorized),
        ("Invalid API key", .unauthorized),
        ("Лимит превышен", .callLimitExceeded),
    ])
    func callLevelRefusalsStopTheRun(message: String, reason: ServiceRefusal.Reason) {
        guard case .fatal(let refusal) = classify(#"{"success":false,"error":"\#(message)"}"#) else {
            Issue.record("expected a refusal for \(message)")
            return
        }
        #expect(refusal.reason == reason)
        #expect(!refusal.rowMayBeApplied)
    }

    @Test func allowanceAtActionLevelStopsToo() {
        let body = #"{"success":true,"result":{"success":false,"error":true,"error_message":"Достигнут лимит"}}"#
        guard case .fatal(let refusal) = classify(body) else { return #expect(Bool(false)) }
        #expect(refusal.reason == .allowanceUsedUp)
    }

    @Test func theSeedsErrorShapeWithErrorMessageStopsTheRun() {
        let body = #"{"success":"false","error":"true","error_message":"Invalid API key"}"#
        guard case .fatal(let refusal) = classify(body, status: 400) else { return #expect(Bool(false)) }
        #expect(refusal.reason == .unauthorized)
        #expect(refusal.description.contains("GETCOURSE_API_KEY"))
    }

    @Test func aNotFoundWithAServiceAnswerIsReadByItsBody() {
        let refused = classify(#"{"success":false,"error":"Не авторизовано"}"#, status: 404)
        guard case .fatal(let refusal) = refused else { return #expect(Bool(false)) }
        #expect(refusal.reason == .unauthorized)
        let rowError = #"{"success":true,"result":{"success":false,"error":true,"error_message":"Group not found"}}"#
        #expect(classify(rowError, status: 404) == .rejected(message: "Group not found"))
        guard case .fatal(let bare) = classify("Wrong subdomain", status: 404) else { return #expect(Bool(false)) }
        #expect(bare.reason == .wrongAccount)
        guard case .fatal(let page) = classify("{\"error\":\"x\"}", status: 404) else { return #expect(Bool(false)) }
        #expect(page.reason == .wrongAccount)
    }

    @Test func otherCallLevelErrorRejectsTheRow() {
        #expect(
            classify(#"{"success":false,"error":"Не указаны параметры"}"#) == .rejected(message: "Не указаны параметры")
        )
    }

    @Test func forbiddenStatusKeepsTheBodysReason() {
        guard case .fatal(let refusal) = classify(#"{"success":false,"error":"Действие запрещено"}"#, status: 403)
        else { return #expect(Bool(false)) }
        #expect(refusal.reason == .forbidden)
        guard case .fatal(let other) = classify("Forbidden", status: 403) else { return #expect(Bool(false)) }
        #expect(other.reason == .unauthorized)
    }

    @Test func emptyBodyIsAPlanWithoutAPI() {
        guard case .fatal(let refusal) = classify("") else { return #expect(Bool(false)) }
        #expect(refusal.reason == .emptyBody)
    }

    @Test func redirectNamesTheLocation() {
        let outcome = classify("", status: 301, location: "https://school.example.com/pl/api/users")
        guard case .fatal(let refusal) = outcome else { return #expect(Bool(false)) }
        #expect(refusal.reason == .redirected)
        #expect(refusal.description.contains("--endpoint https://school.example.com "))
    }

    @Test func wrongSubdomainIs404() {
        guard case .fatal(let refusal) = classify("Wrong subdomain", status: 404) else { return #expect(Bool(false)) }
        #expect(refusal.reason == .wrongAccount)
    }

    @Test func serverErrorsAndTooManyRequestsAreTransient() {
        #expect(classify("oops", status: 502) == .failed(message: "HTTP 502: oops", retryAfter: nil, isPushback: false))
        #expect(
            classify("", status: 429, retryAfter: "3")
                == .failed(message: "HTTP 429 Too Many Requests", retryAfter: 3, isPushback: true))
        #expect(
            classify("", status: 503, retryAfter: "2")
                == .failed(message: "HTTP 503", retryAfter: 2, isPushback: true))
    }

    @Test func aWebPageIsNotTheAPI() {
        guard case .fatal(let refusal) = classify("<html><body>Hello</body></html>") else {
            return #expect(Bool(false))
        }
        #expect(refusal.reason == .notTheAPI)
        #expect(refusal.rowMayBeApplied)
    }

    /// Found by the answer fuzz target: a body that says success under HTTP 400 was taken for a row that
    /// landed. It may or may not have: the row is unknown, for `verify` to settle.
    @Test(arguments: [400, 409, 422, 418])
    func aSuccessUnderAnErrorStatusIsUnknown(status: Int) {
        let body = #"{"success":true,"action":"add","result":{"s,ccesror_m":"x"}}"#
        guard case .unknown(let message) = classify(body, status: status) else { return #expect(Bool(false)) }
        #expect(message.hasPrefix("HTTP \(status) with an answer that says the call succeeded"))
        guard case .ok = classify(body, status: 200) else { return #expect(Bool(false)) }
    }

    @Test func retryAfterAsHTTPDate() {
        #expect(AnswerClassifier.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == 0)
        #expect(AnswerClassifier.parseRetryAfter("120") == 120)
        #expect(AnswerClassifier.parseRetryAfter("soon") == nil)
    }
}
