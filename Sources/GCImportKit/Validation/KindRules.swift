// Rules that involve more than one field, per import kind (DESIGN.md: what GetCourse needs to accept a row).
import CSVReader

/// Per-kind row rules: users need an email, deals need email + offer + cost, group updates need an id and a
/// non-empty list.
struct KindRules: Sendable {
    /// Where each field a rule looks at sits in the plans, looked up once (a dictionary lookup per row
    /// would hash the path every time).
    private let email: Int?
    private let phone: Int?
    private let id: Int?
    private let groups: Int?
    private let offers: [Int]
    private let cost: Int?
    private let number: Int?
    private let status: Int?

    init(plans: [FieldPlan]) {
        func index(_ path: String) -> Int? { plans.firstIndex { $0.field.path == path } }
        email = index("user.email")
        phone = index("user.phone")
        id = index("user.id")
        groups = index("user.group_name")
        offers = ["deal.offer_code", "deal.product_title", "deal.offer_id"].compactMap(index)
        cost = index("deal.deal_cost")
        number = index("deal.deal_number")
        status = index("deal.deal_status")
    }

    /// Whether `check` would add no error to a row with no field errors, given which fields have a value.
    func accepts(allowPhoneOnly: Bool, kind: ImportKind, _ has: (Int?) -> Bool) -> Bool {
        switch kind {
        case .user: has(email) || (allowPhoneOnly && has(phone))
        case .deal: has(email) && offers.contains { has($0) } && has(cost)
        case .dealStatus: has(email) && has(number) && has(status)
        case .userGroups: has(id) && has(groups)
        }
    }

    func check(_ mapper: RowMapper, values: [FieldValue?], record: CSVRecord, errors: inout [RowError]) {
        func has(_ position: Int?) -> Bool { position.map { values[$0] != nil } ?? false }
        func failed(_ path: String) -> Bool { errors.contains { $0.field == path } }
        func missing(_ path: String, _ message: String) {
            guard !failed(path) else { return }
            let plan = mapper.plans.first { $0.field.path == path }
            let value = plan.map { $0.raw(record.fields) } ?? ""
            errors.append(
                RowError(
                    row: record.row, line: record.line, column: plan?.columnNumber, columnName: plan?.columnName,
                    field: path, value: value, message: message))
        }
        switch mapper.mapping.kind {
        case .user:
            if !has(email) {
                if mapper.mapping.allowPhoneOnly && has(phone) { return }
                missing(
                    "user.email",
                    mapper.mapping.allowPhoneOnly
                        ? "no email and no phone: a user needs one of them"
                        : "no email: GetCourse keys users by email (set `allow_phone_only: true` to import "
                            + "phone-only users; GetCourse then invents a technical email)")
            }
        case .deal:
            if !has(email) { missing("user.email", "no email: a deal needs its buyer's email") }
            if !offers.contains(where: { values[$0] != nil }) && !failed("deal.offer_code")
                && !failed("deal.product_title") && !failed("deal.offer_id")
            {
                missing(
                    "deal.offer_code", "no offer: a deal needs deal.offer_code, deal.product_title or deal.offer_id")
            }
            if !has(cost) { missing("deal.deal_cost", "no cost: a deal needs deal.deal_cost > 0") }
        case .dealStatus:
            if !has(email) { missing("user.email", "no email: a status change needs the buyer's email") }
            if !has(number) { missing("deal.deal_number", "no order number: a status change names the order by it") }
            if !has(status) { missing("deal.deal_status", "no status: the row has nothing to change") }
        case .userGroups:
            if !has(id) { missing("user.id", "no user id: kind user_groups updates users by GetCourse id") }
            if !has(groups) {
                missing(
                    "user.group_name",
                    "no groups: an empty list would REMOVE the user from every group; skip such rows with `skip:`")
            }
        }
    }
}
