// Rules that involve more than one field, per import kind (DESIGN.md: what GetCourse needs to accept a row).
import CSVReader

/// Per-kind row rules: users need an email, deals need email + offer + cost, group updates need an id and a
/// non-empty list.
struct KindRules: Sendable {
    /// Where each field a rule looks at sits in the plans (looked up once, not per row).
    private let positions: [String: Int]

    init(plans: [FieldPlan]) {
        var positions: [String: Int] = [:]
        for path in Self.paths {
            if let index = plans.firstIndex(where: { $0.field.path == path }) { positions[path] = index }
        }
        self.positions = positions
    }

    private static let paths = [
        "user.email", "user.phone", "user.id", "user.group_name", "deal.offer_code", "deal.product_title",
        "deal.offer_id", "deal.deal_cost",
    ]

    func check(_ mapper: RowMapper, values: [FieldValue?], record: CSVRecord, errors: inout [RowError]) {
        func has(_ path: String) -> Bool { positions[path].map { values[$0] != nil } ?? false }
        func failed(_ path: String) -> Bool { errors.contains { $0.field == path } }
        func missing(_ path: String, _ message: String) {
            guard !failed(path) else { return }
            let plan = positions[path].map { mapper.plans[$0] }
            let value = plan.map { $0.raw(record.fields) } ?? ""
            errors.append(
                RowError(
                    row: record.row, line: record.line, column: plan?.columnNumber, columnName: plan?.columnName,
                    field: path, value: value, message: message))
        }
        switch mapper.mapping.kind {
        case .user:
            if !has("user.email") {
                if mapper.mapping.allowPhoneOnly && has("user.phone") { return }
                missing(
                    "user.email",
                    mapper.mapping.allowPhoneOnly
                        ? "no email and no phone: a user needs one of them"
                        : "no email: GetCourse keys users by email (set `allow_phone_only: true` to import "
                            + "phone-only users; GetCourse then invents a technical email)")
            }
        case .deal:
            if !has("user.email") { missing("user.email", "no email: a deal needs its buyer's email") }
            if !has("deal.offer_code") && !has("deal.product_title") && !has("deal.offer_id")
                && !failed("deal.offer_code") && !failed("deal.product_title") && !failed("deal.offer_id")
            {
                missing(
                    "deal.offer_code", "no offer: a deal needs deal.offer_code, deal.product_title or deal.offer_id")
            }
            if !has("deal.deal_cost") { missing("deal.deal_cost", "no cost: a deal needs deal.deal_cost > 0") }
        case .userGroups:
            if !has("user.id") { missing("user.id", "no user id: kind user_groups updates users by GetCourse id") }
            if !has("user.group_name") {
                missing(
                    "user.group_name",
                    "no groups: an empty list would REMOVE the user from every group; skip such rows with `skip:`")
            }
        }
    }
}
