/// A JSON value as the sandbox reads it from `params` and writes it in answers.
///
/// The sandbox keeps its own small JSON model instead of `JSONSerialization` because it must tell `1` from
/// `true` and `"1"` (GetCourse accepts all three as a flag) and must write keys in a stable order, so
/// answers and the state's JSON columns are byte-for-byte reproducible under a seed.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Keys keep the order they were given in; lookups are linear, which is fine for the few keys a
    /// GetCourse payload carries.
    case object([(String, JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The member named `key` of an object, or nil.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The members of an object, or nil for any other value.
    var objectMembers: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an array, or nil for any other value.
    var arrayElements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// A scalar as text, the way PHP would turn it into a string: numbers without a trailing `.0`.
    /// Arrays, objects and null give nil.
    var scalarText: String? {
        switch self {
        case .string(let text): text
        case .number(let value): Self.format(value)
        case .bool(let flag): flag ? "1" : ""
        default: nil
        }
    }

    /// A flag read leniently, as GetCourse does: `1`, `"1"`, `true`, `"true"`, `"yes"`, `"on"` are true.
    var isTruthy: Bool {
        switch self {
        case .bool(let flag): return flag
        case .number(let value): return value != 0
        case .string(let text):
            let folded = text.trimmingSpaces().lowercased()
            return ["1", "true", "yes", "on", "y", "да"].contains(folded)
        default: return false
        }
    }

    static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks (no Foundation needed).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
            let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}

// MARK: - Building values

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int) { self = .number(Double(value)) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(floatLiteral value: Double) { self = .number(value) }
}

extension JSONValue {
    /// A whole number.
    static func int(_ value: Int) -> JSONValue { .number(Double(value)) }

    /// A string, or null when there is none.
    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}
