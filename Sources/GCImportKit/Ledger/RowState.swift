/// Where one data row stands. A row's state is the state of its last ledger line.
package enum RowState: String, Codable, Sendable, CaseIterable {
    /// Written just before the request goes out; still `sent` after a crash means the outcome is unknown.
    case sent
    /// GetCourse accepted the row.
    case ok
    /// GetCourse refused the row (invalid email, missing partner…): permanent, not retried by `run`.
    case rejected
    /// A transient failure (5xx, 429, connection refused) outlasted the attempts: retried on resume.
    case failed
    /// Sent, but no answer came: it may or may not have landed.
    case unknown
    /// Failed validation in the mapping stage; never sent.
    case invalid
    /// Skipped by a mapping rule; never sent.
    case skipped
    /// Answered ok, but `gcimport verify` did not find it in the account: sent again by `retry` and resume.
    case missing

    /// States a resume never sends again.
    package var isDone: Bool {
        switch self {
        case .ok, .rejected, .invalid, .skipped: true
        case .sent, .failed, .unknown, .missing: false
        }
    }

    /// The final states a summary counts (`sent` is reported as `unknown`).
    var summaryState: RowState { self == .sent ? .unknown : self }

    /// A compact code for per-row state tables (0 means "no line for this row").
    var code: UInt8 {
        switch self {
        case .sent: 1
        case .ok: 2
        case .rejected: 3
        case .failed: 4
        case .unknown: 5
        case .invalid: 6
        case .skipped: 7
        case .missing: 8
        }
    }

    private static let names: [(bytes: [UInt8], state: RowState)] = allCases.map { (Array($0.rawValue.utf8), $0) }

    /// The state whose name these bytes spell.
    static func named(_ bytes: ArraySlice<UInt8>) -> RowState? {
        names.first { $0.bytes.elementsEqual(bytes) }?.state
    }

    init?(code: UInt8) {
        guard code > 0, Int(code) <= RowState.allCases.count else { return nil }
        self = RowState.allCases[Int(code) - 1]
    }
}
