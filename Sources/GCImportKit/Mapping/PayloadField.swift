// The catalogue of payload fields from seed 000: which keys exist, where they sit in the JSON, what values they
// take and which import kinds accept them. Everything else (parser, validator, JSON writer) reads from here.

/// The top-level objects of an import payload, in the order they are written.
enum PayloadSection: Int, Sendable, Comparable {
    case user = 0
    case system
    case session
    case deal

    var name: String {
        switch self {
        case .user: "user"
        case .system: "system"
        case .session: "session"
        case .deal: "deal"
        }
    }

    static func < (lhs: PayloadSection, rhs: PayloadSection) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a payload field holds, which decides its validation and how it is written to JSON.
enum FieldType: Sendable, Equatable {
    /// A JSON string, any text.
    case text
    /// A JSON string that must be a valid email address.
    case email
    /// A JSON string; the `phone` transform normalises it.
    case phone
    /// A JSON number 0 or 1 (accepts 0/1, yes/no, true/false, да/нет).
    case flag
    /// A JSON number, a whole number ≥ 1.
    case positiveInteger
    /// A JSON string of digits (GetCourse's user id).
    case identifier
    /// A JSON string holding a decimal number > 0.
    case money
    /// A JSON string `YYYY-MM-DD HH:MM:SS`.
    case dateTime
    /// A JSON string `YYYY-MM-DD` (a birthday has no time of day).
    case date
    /// A JSON string from a closed set of codes.
    case closed(ClosedSet)
    /// A JSON array of group names, each optionally paired with the date the user joined.
    case groups
}

/// One known payload field: `user.email`, `deal.deal_cost`, `user.addfields.<name>`…
struct PayloadField: Sendable, Equatable {
    var section: PayloadSection
    /// The key inside its section; for additional fields, the field's own name.
    var key: String
    var type: FieldType
    /// Whether it is an additional field (written inside the section's `addfields` object).
    var isAddfield: Bool
    /// The position among its section's keys, so the JSON key order is fixed (seed order).
    var order: Int
    var kinds: Set<ImportKind>

    /// The name used in mapping files and error messages, e.g. `user.addfields.Источник`.
    var path: String { section.name + (isAddfield ? ".addfields." : ".") + key }
}

extension PayloadField {
    private static let allKinds: Set<ImportKind> = [.user, .deal]

    /// Every fixed key, in seed 000 order within each section.
    static let catalogue: [PayloadField] = {
        var fields: [PayloadField] = []
        func add(_ section: PayloadSection, _ key: String, _ type: FieldType, _ kinds: Set<ImportKind>) {
            fields.append(
                PayloadField(
                    section: section, key: key, type: type, isAddfield: false, order: fields.count, kinds: kinds))
        }
        add(.user, "id", .identifier, [.userGroups])
        add(.user, "email", .email, allKinds.union([.dealStatus]))
        add(.user, "phone", .phone, allKinds)
        add(.user, "first_name", .text, allKinds)
        add(.user, "last_name", .text, allKinds)
        add(.user, "middle_name", .text, allKinds)
        add(.user, "city", .text, allKinds)
        add(.user, "country", .text, allKinds)
        add(.user, "birthday", .date, allKinds)
        add(.user, "group_name", .groups, [.user, .deal, .userGroups])
        add(.system, "refresh_if_exists", .flag, allKinds)
        add(.system, "partner_email", .email, allKinds)
        add(.system, "multiple_offers", .flag, [.deal])
        add(.system, "return_payment_link", .flag, [.deal])
        add(.system, "return_deal_number", .flag, [.deal])
        for key in [
            "utm_source", "utm_medium", "utm_content", "utm_campaign", "utm_term", "utm_group", "gcpc", "gcao",
            "referer",
        ] {
            add(.session, key, .text, allKinds)
        }
        add(.deal, "deal_number", .text, [.deal, .dealStatus])
        add(.deal, "offer_code", .text, [.deal])
        add(.deal, "offer_id", .identifier, [.deal])
        add(.deal, "product_title", .text, [.deal])
        add(.deal, "product_description", .text, [.deal])
        add(.deal, "quantity", .positiveInteger, [.deal])
        add(.deal, "deal_cost", .money, [.deal])
        add(.deal, "deal_status", .closed(.dealStatus), [.deal, .dealStatus])
        add(.deal, "deal_is_paid", .flag, [.deal, .dealStatus])
        add(.deal, "manager_email", .email, [.deal])
        add(.deal, "deal_created_at", .dateTime, [.deal])
        add(.deal, "deal_finished_at", .dateTime, [.deal, .dealStatus])
        add(.deal, "deal_comment", .text, [.deal, .dealStatus])
        add(.deal, "payment_type", .closed(.paymentType), [.deal, .dealStatus])
        add(.deal, "payment_status", .closed(.paymentStatus), [.deal, .dealStatus])
        add(.deal, "partner_email", .email, [.deal])
        add(.deal, "deal_currency", .closed(.currency), [.deal])
        return fields
    }()

    /// Additional fields sit where seed 000 puts `addfields`: after `group_name` for users, before
    /// `deal_currency` for deals.
    private static let userAddfieldsOrder = catalogue.first { $0.path == "user.group_name" }?.order ?? 0
    private static let dealAddfieldsOrder = catalogue.first { $0.path == "deal.partner_email" }?.order ?? 0

    /// Other names the seeds use for a fixed key (seed 001 writes the order's comment as `comment`).
    static let aliases = ["deal.comment": "deal.deal_comment"]

    /// Looks a mapping key up: a fixed key or an alias of one, or `user.addfields.X` / `deal.addfields.X`.
    static func lookup(_ path: String) -> PayloadField? {
        let path = aliases[path] ?? path
        if let field = catalogue.first(where: { $0.path == path }) { return field }
        for (prefix, section, order, kinds) in [
            ("user.addfields.", PayloadSection.user, userAddfieldsOrder, allKinds),
            ("deal.addfields.", PayloadSection.deal, dealAddfieldsOrder, Set([ImportKind.deal])),
        ] where path.hasPrefix(prefix) && path.count > prefix.count {
            return PayloadField(
                section: section, key: String(path.dropFirst(prefix.count)), type: .text, isAddfield: true,
                order: order, kinds: kinds)
        }
        return nil
    }

    /// Every key a mapping of `kind` may use, for "did you mean" suggestions.
    static func validPaths(for kind: ImportKind?) -> [String] {
        catalogue.filter { field in kind.map { field.kinds.contains($0) } ?? true }.map(\.path)
            + (kind == .userGroups ? [] : ["user.addfields.<name>"])
            + (kind == .deal || kind == nil ? ["deal.addfields.<name>"] : [])
    }
}
