/// What one import call brings to the users or deals logic: its decoded `params` and the account's rules.
struct ImportContext {
    var action: String
    var params: JSONValue
    /// The moment of the call, in GetCourse's date format.
    var now: String
    var knownUserFields: Set<String>
    var knownDealFields: Set<String>
    /// Objects the plan may create (``SandboxConfiguration/allowance``).
    var allowance: Int?
    /// `Host` of the request, to build payment links that point back at this sandbox.
    var host: String

    /// `system.<name>` read as a lenient flag.
    func systemFlag(_ name: String) -> Bool { params["system"]?[name]?.isTruthy ?? false }

    /// Refuses a call that would create `count` objects beyond the allowance.
    func checkAllowance(_ state: SandboxState, creating count: Int) throws(ImportFailure) {
        guard let allowance, count > 0 else { return }
        if state.createdObjects + count > allowance { throw .call(APIText.limitReached) }
    }
}

/// Why an import call did not change anything.
enum ImportFailure: Error {
    /// The row's data is wrong: an action-level error.
    case row(String)
    /// The call as a whole is refused (allowance used up): a call-level error.
    case call(String)
}

/// How an import call ended: the answer and the outcome counted in the state. (The state is written after
/// every call anyway, since the counters are part of it.)
struct ImportResult {
    var answer: JSONValue
    var outcome: String

    /// The answer for a failure, with nothing changed.
    static func failure(_ failure: ImportFailure, action: String) -> ImportResult {
        switch failure {
        case .row(let message):
            ImportResult(
                answer: APIAnswer.actionError(action: action, message), outcome: "action_error")
        case .call(let message):
            ImportResult(answer: APIAnswer.callError(message), outcome: "limit")
        }
    }
}
