// What the mapping stage hands to the run stage: one outcome per data row, so nothing is lost between them.

/// Which GetCourse import call a mapping feeds.
package enum ImportKind: String, Sendable, Codable, CaseIterable {
    /// POST /pl/api/users, action add.
    case user
    /// POST /pl/api/deals, action add (carries the user object too).
    case deal
    /// POST /pl/api/users, action update with user.id: REPLACES the user's whole group list.
    case userGroups = "user_groups"
    /// POST /pl/api/deals, action add with only the buyer's email, `deal_number` and `deal_status`: changes
    /// the status of orders that already exist (seed 000, «Changing the status of an order»).
    case dealStatus = "deal_status"

    /// The API path the payloads of this kind go to.
    var endpointPath: String {
        switch self {
        case .user, .userGroups: "/pl/api/users"
        case .deal, .dealStatus: "/pl/api/deals"
        }
    }

    /// The `action` form field.
    var action: String {
        switch self {
        case .user, .deal, .dealStatus: "add"
        case .userGroups: "update"
        }
    }

    /// Whether the payloads are orders (sent to /pl/api/deals and verified against the order export).
    var isDeal: Bool { self == .deal || self == .dealStatus }
}

/// One request's worth of data, exactly as the dry run shows it and the real run sends it.
package struct ImportPayload: Sendable, Equatable {
    var row: Int
    var line: Int
    var kind: ImportKind
    /// Compact UTF-8 JSON (Cyrillic as UTF-8, not \u escapes), before base64.
    var params: [UInt8]
    /// The lowercased, trimmed email of the user, when there is one.
    var email: String?
    /// The deal's number, when the mapping gives one.
    var dealNumber: String?
    /// The row's natural key, normalised: the user's email, the deal's number, the user id of a group list.
    var naturalKey: String?
    /// A deal sent with `system.multiple_offers` truthy: an existing order gets this position added.
    var addsToOrder: Bool

    init(
        row: Int, line: Int, kind: ImportKind, params: [UInt8], email: String?, dealNumber: String?,
        naturalKey: String? = nil, addsToOrder: Bool = false
    ) {
        self.row = row
        self.line = line
        self.kind = kind
        self.params = params
        self.email = email
        self.dealNumber = dealNumber
        self.naturalKey = naturalKey
        self.addsToOrder = addsToOrder
    }

    /// Whether sending it twice leaves GetCourse as sending it once. A deal without a number is not:
    /// GetCourse creates a second order. Nor is a numbered deal sent with `system.multiple_offers`: the
    /// second call adds its position (and its cost) to the order again.
    var isIdempotent: Bool {
        kind != .deal || (dealNumber != nil && !addsToOrder)
    }
}

/// Why one row cannot become a payload; every field a user needs to find and fix it.
package struct RowError: Sendable, Equatable, Codable, CustomStringConvertible {
    var row: Int
    var line: Int
    /// 1-based column index in the file, when one column is at fault.
    var column: Int?
    /// The header name of that column.
    var columnName: String?
    /// The payload field, e.g. `user.email` or `deal.deal_cost`.
    var field: String
    /// The offending cell value (as read).
    var value: String
    var message: String

    /// The field of the reader's problems (a ragged row, bytes that are not UTF-8, …).
    static let csvField = "csv"

    /// The reader's messages already quote the cell (shortened, control characters spelled out), so a line
    /// showing the error does not repeat the value.
    var messageQuotesValue: Bool { field == Self.csvField }

    init(
        row: Int, line: Int, column: Int? = nil, columnName: String? = nil, field: String, value: String,
        message: String
    ) {
        self.row = row
        self.line = line
        self.column = column
        self.columnName = columnName
        self.field = field
        self.value = value
        self.message = message
    }

    package var description: String {
        var place = "line \(line)"
        if let column {
            place += ", column \(column)"
            if let columnName { place += " (\(columnName))" }
        }
        let quoted = value.isEmpty || messageQuotesValue ? "" : " [value: \(value)]"
        return "\(place): \(field): \(message)\(quoted)"
    }
}

/// The mapping stage's verdict on one data row.
package enum MappedRow: Sendable, Equatable {
    case payload(ImportPayload)
    case invalid(row: Int, line: Int, errors: [RowError])
    case skipped(row: Int, line: Int, reason: String)

    var row: Int {
        switch self {
        case .payload(let payload): payload.row
        case .invalid(let row, _, _), .skipped(let row, _, _): row
        }
    }

    var line: Int {
        switch self {
        case .payload(let payload): payload.line
        case .invalid(_, let line, _), .skipped(_, let line, _): line
        }
    }
}
