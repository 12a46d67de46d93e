/// What `gcimport check` found: does the account have every additional field the mapping sends, and which
/// group names of the file it does not have yet.
package struct CheckReport: Sendable, Encodable {
    /// One `user.addfields.*` / `deal.addfields.*` of the mapping, looked up in the account.
    package struct FieldFinding: Sendable, Encodable, Equatable {
        package enum Status: String, Sendable, Encodable {
            /// The account has it, for the right object.
            case ok
            /// No field with this title: GetCourse would drop the value on every row, without an error.
            case missing
            /// The title exists, for the other object (a user field mapped as an order field, or back).
            case otherContext = "other_context"
        }

        /// The mapping key, e.g. `user.addfields.Telegramm`.
        var field: String
        var title: String
        var context: AccountField.Context
        /// `FILE:LINE` of the entry in the mapping, when known.
        var place: String?
        var status: Status
        /// The account's nearest titles for that object, best first.
        var nearest: [String]

        enum CodingKeys: String, CodingKey {
            case field, title, context, place, status, nearest
        }
    }

    /// One distinct group name the file sends.
    package struct GroupFinding: Sendable, Encodable, Equatable {
        package enum Status: String, Sendable, Encodable {
            case exists
            /// Not in the account yet: GetCourse creates it on first use.
            case new
            /// Not in the account, and almost the same as a group it has: most likely a typo.
            case likelyTypo = "likely_typo"
        }

        var name: String
        /// Rows that send it.
        var rows: Int
        /// The first line of the file that sends it.
        var firstLine: Int
        var status: Status
        /// The account's group this one most likely means (`likely_typo`), or the nearest one (`new`).
        var nearest: String?

        enum CodingKeys: String, CodingKey {
            case name, rows, status, nearest
            case firstLine = "first_line"
        }
    }

    var input: String
    var mapping: String
    var target: String
    /// Set when the account refused the check (bad key, no API on the plan…): exit 69.
    package var refusal: String?
    var userFields = 0
    var dealFields = 0
    var accountGroups = 0
    package var fields: [FieldFinding] = []
    package var groups: [GroupFinding] = []
    /// Rows that would be sent, and of them the rows that send at least one group.
    var rows = 0
    var rowsWithGroups = 0
    /// More distinct names than the check keeps: the rest were not compared.
    var groupsTruncated = false
    /// `--strict-groups`: any new group is a problem.
    var strictGroups: Bool
    /// Checked against the built-in sandbox, whose directories are the defaults unless it was given the
    /// account's.
    package var rehearsal = false

    init(input: String, mapping: String, target: String, strictGroups: Bool) {
        self.input = input
        self.mapping = mapping
        self.target = target
        self.strictGroups = strictGroups
    }

    /// Findings that would lose or misplace data.
    package var problems: Int {
        fields.filter { $0.status != .ok }.count
            + groups.filter { $0.status == .likelyTypo || (strictGroups && $0.status == .new) }.count
    }

    package var newGroups: Int { groups.filter { $0.status != .exists }.count }

    /// The exit status: 0 clean, 65 the mapping or file would lose data, 69 the account refused.
    package var exitStatus: ExitStatus {
        if refusal != nil { return .unavailable }
        return problems > 0 ? .dataError : .success
    }

    /// The ledger line `run` writes when the check passed.
    package var record: LedgerCheckRecord {
        LedgerCheckRecord(
            passed: exitStatus == .success, fields: fields.count, groups: groups.count, newGroups: newGroups)
    }

    enum CodingKeys: String, CodingKey {
        case input, mapping, target, refusal, fields, groups, rows, problems
        case userFields = "account_user_fields"
        case dealFields = "account_deal_fields"
        case accountGroups = "account_groups"
        case rowsWithGroups = "rows_with_groups"
        case groupsTruncated = "groups_truncated"
        case strictGroups = "strict_groups"
        case newGroups = "new_groups"
        case exitStatus = "exit_status"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(mapping, forKey: .mapping)
        try container.encode(target, forKey: .target)
        try container.encodeIfPresent(refusal, forKey: .refusal)
        try container.encode(userFields, forKey: .userFields)
        try container.encode(dealFields, forKey: .dealFields)
        try container.encode(accountGroups, forKey: .accountGroups)
        try container.encode(fields, forKey: .fields)
        try container.encode(groups, forKey: .groups)
        try container.encode(rows, forKey: .rows)
        try container.encode(rowsWithGroups, forKey: .rowsWithGroups)
        try container.encode(groupsTruncated, forKey: .groupsTruncated)
        try container.encode(strictGroups, forKey: .strictGroups)
        try container.encode(newGroups, forKey: .newGroups)
        try container.encode(problems, forKey: .problems)
        try container.encode(exitStatus.rawValue, forKey: .exitStatus)
    }
}
