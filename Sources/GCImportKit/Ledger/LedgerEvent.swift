/// One row's outcome or step, one JSON line in the ledger.
///
/// Encoded by hand with a fixed key order: the engine writes two of these per row, and a resume reads a
/// million of them back, so neither side goes through a generic JSON coder.
package struct LedgerEvent: Sendable, Equatable {
    var row: Int
    var line: Int
    var state: RowState
    var attempt: Int?
    var httpStatus: Int?
    var userID: String?
    var dealID: String?
    var dealNumber: String?
    /// What GetCourse said of the user: `added`, `updated` or `exists` (for verify: only an added user must be
    /// among the users created in the run's window).
    var userStatus: String?
    /// The payment page GetCourse returned for the order (only under `system.return_payment_link`).
    var paymentLink: String?
    var error: String?
    /// Set on lines `gcimport verify` writes: `resolved` (an unknown row found in the account), `not_found`
    /// (an unknown row that is not there), `missing` (an ok row that is not there), `ambiguous`.
    var verified: String?
    /// On `sent` lines under `--rate auto`: the calls a second in force when the call started.
    var rate: Double?
    /// ISO-8601 UTC with milliseconds.
    var t: String

    package init(
        row: Int, line: Int, state: RowState, attempt: Int? = nil, httpStatus: Int? = nil, userID: String? = nil,
        dealID: String? = nil, dealNumber: String? = nil, userStatus: String? = nil, paymentLink: String? = nil,
        error: String? = nil, verified: String? = nil, t: String = LedgerClock.now()
    ) {
        self.row = row
        self.line = line
        self.state = state
        self.attempt = attempt
        self.httpStatus = httpStatus
        self.userID = userID
        self.dealID = dealID
        self.dealNumber = dealNumber
        self.userStatus = userStatus
        self.paymentLink = paymentLink
        self.error = error
        self.verified = verified
        self.t = t
    }

    /// `12.5` for 12.4987: two places at most, without the trailing zeros.
    static func hundredths(_ value: Double) -> String {
        let scaled = Int((value * 100).rounded())
        let (whole, cents) = (scaled / 100, scaled % 100)
        if cents == 0 { return String(whole) }
        return cents % 10 == 0 ? "\(whole).\(cents / 10)" : "\(whole).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// The JSON line, newline included. Absent values are left out rather than written as null.
    func jsonLine() -> [UInt8] {
        var json = JSONWriter(capacity: 96 + (error?.utf8.count ?? 0) + (paymentLink?.utf8.count ?? 0))
        json.beginObject()
        json.key("row")
        json.number(row)
        json.key("line")
        json.number(line)
        json.key("state")
        json.string(state.rawValue)
        if let attempt {
            json.key("attempt")
            json.number(attempt)
        }
        if let httpStatus {
            json.key("http_status")
            json.number(httpStatus)
        }
        for (key, value) in [
            ("user_id", userID), ("deal_id", dealID), ("deal_number", dealNumber), ("user_status", userStatus),
            ("payment_link", paymentLink), ("error", error), ("verified", verified),
        ] {
            guard let value else { continue }
            json.key(key)
            json.string(value)
        }
        if let rate {
            json.key("rate")
            json.number(Self.hundredths(rate))
        }
        json.key("t")
        json.string(t)
        json.endObject()
        json.rawByte(UInt8(ascii: "\n"))
        return json.bytes
    }
}
