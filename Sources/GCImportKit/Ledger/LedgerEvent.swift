/// One row's outcome or step, one JSON line in the ledger.
///
/// Encoded by hand with a fixed key order: the engine writes two of these per row, and a resume reads a
/// million of them back, so neither side goes through a generic JSON coder.
public struct LedgerEvent: Sendable, Equatable {
    public var row: Int
    public var line: Int
    public var state: RowState
    public var attempt: Int?
    public var httpStatus: Int?
    public var userID: String?
    public var dealID: String?
    public var dealNumber: String?
    public var error: String?
    /// ISO-8601 UTC with milliseconds.
    public var t: String

    public init(
        row: Int, line: Int, state: RowState, attempt: Int? = nil, httpStatus: Int? = nil, userID: String? = nil,
        dealID: String? = nil, dealNumber: String? = nil, error: String? = nil, t: String = LedgerClock.now()
    ) {
        self.row = row
        self.line = line
        self.state = state
        self.attempt = attempt
        self.httpStatus = httpStatus
        self.userID = userID
        self.dealID = dealID
        self.dealNumber = dealNumber
        self.error = error
        self.t = t
    }

    /// The JSON line, newline included. Absent values are left out rather than written as null.
    public func jsonLine() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + (error?.utf8.count ?? 0))
        out.append(contentsOf: #"{"row":"#.utf8)
        out.append(contentsOf: String(row).utf8)
        out.append(contentsOf: #","line":"#.utf8)
        out.append(contentsOf: String(line).utf8)
        out.append(contentsOf: #","state":""#.utf8)
        out.append(contentsOf: state.rawValue.utf8)
        out.append(UInt8(ascii: "\""))
        if let attempt { JSONText.appendMember("attempt", number: attempt, to: &out) }
        if let httpStatus { JSONText.appendMember("http_status", number: httpStatus, to: &out) }
        if let userID { JSONText.appendMember("user_id", string: userID, to: &out) }
        if let dealID { JSONText.appendMember("deal_id", string: dealID, to: &out) }
        if let dealNumber { JSONText.appendMember("deal_number", string: dealNumber, to: &out) }
        if let error { JSONText.appendMember("error", string: error, to: &out) }
        JSONText.appendMember("t", string: t, to: &out)
        out.append(contentsOf: "}\n".utf8)
        return out
    }
}
