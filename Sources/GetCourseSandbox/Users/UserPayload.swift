/// The `user` object of an import call, read leniently (numbers and strings alike) into plain values.
struct UserPayload {
    /// Profile fields the sandbox stores; other keys of `user` are ignored, as GetCourse ignores them.
    static let profileKeys = ["first_name", "last_name", "middle_name", "phone", "city", "country", "birthday"]

    var email: String
    var phone: String
    var id: String
    var fields: [String: String]
    var addfields: [String: String]
    /// nil when `group_name` was absent (an update then leaves groups alone); empty when it was `[]`.
    var groups: [GroupRequest]?

    /// One entry of `group_name`: a name, or `[name, "YYYY-MM-DD[ HH:MM[:SS]]"]`.
    struct GroupRequest: Equatable {
        var name: String
        /// Normalised moment of joining, when one was given and readable.
        var addedAt: String?
    }

    init(_ user: JSONValue?, knownAddfields: Set<String>) {
        email = user?["email"]?.scalarText?.trimmingSpaces() ?? ""
        phone = user?["phone"]?.scalarText?.trimmingSpaces() ?? ""
        id = user?["id"]?.scalarText?.trimmingSpaces() ?? ""
        var fields: [String: String] = [:]
        for key in Self.profileKeys {
            if let value = user?[key]?.scalarText?.trimmingSpaces(), !value.isEmpty { fields[key] = value }
        }
        self.fields = fields
        var addfields: [String: String] = [:]
        for (name, value) in user?["addfields"]?.objectMembers ?? [] where knownAddfields.contains(name) {
            if let text = value.scalarText { addfields[name] = text }
        }
        self.addfields = addfields
        groups = user?["group_name"].map(Self.groups)
    }

    /// `group_name` as GetCourse reads it: a lone string is one group; in a list, each item is a name or a
    /// `[name, date]` pair. Blank names are skipped; an unreadable date means "now".
    static func groups(_ value: JSONValue) -> [GroupRequest] {
        switch value {
        case .string, .number:
            return value.scalarText.map { [GroupRequest(name: $0.trimmingSpaces(), addedAt: nil)] }?
                .filter { !$0.name.isEmpty } ?? []
        case .array(let items):
            return items.compactMap { item -> GroupRequest? in
                if let pair = item.arrayElements {
                    guard let name = pair.first?.scalarText?.trimmingSpaces(), !name.isEmpty else { return nil }
                    let date = pair.dropFirst().first?.scalarText.flatMap(FieldRules.normalizedDateTime)
                    return GroupRequest(name: name, addedAt: date)
                }
                guard let name = item.scalarText?.trimmingSpaces(), !name.isEmpty else { return nil }
                return GroupRequest(name: name, addedAt: nil)
            }
        case .object(let members):
            // PHP arrays with string keys arrive as objects; their values are the group names.
            return members.compactMap { member in
                member.1.scalarText.map { GroupRequest(name: $0.trimmingSpaces(), addedAt: nil) }
            }.filter { !$0.name.isEmpty }
        default:
            return []
        }
    }

    /// `session` as text values (utm_*, referer, gcpc, gcao…).
    static func session(_ value: JSONValue?) -> [String: String] {
        var session: [String: String] = [:]
        for (name, member) in value?.objectMembers ?? [] {
            if let text = member.scalarText { session[name] = text }
        }
        return session
    }
}
