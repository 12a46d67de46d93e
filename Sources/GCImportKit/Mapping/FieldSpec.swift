// The parsed form of one `fields:` entry: where the value comes from and what happens to it on the way.

/// A column named in a mapping: by header text, or by 1-based position.
enum ColumnReference: Sendable, Equatable, CustomStringConvertible {
    case name(String)
    case index(Int)

    var description: String {
        switch self {
        case .name(let name): "«\(name)»"
        case .index(let index): "#\(index)"
        }
    }
}

/// `"{Имя} {Фамилия}"`: literal text and column references, joined per row.
struct Template: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case literal(String)
        case column(ColumnReference)
    }

    var parts: [Part]

    /// Parses `{column}` references (`{3}` is a position); `{{` and `}}` are literal braces.
    init(_ text: String) throws(TransformFailure) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            let next = text.index(after: index)
            if char == "{" && next < text.endIndex && text[next] == "{"
                || char == "}" && next < text.endIndex
                    && text[next] == "}"
            {
                literal.append(char)
                index = text.index(after: next)
                continue
            }
            if char == "{" {
                guard let close = text[next...].firstIndex(of: "}") else {
                    throw TransformFailure("template «\(text)»: «{» without «}»")
                }
                let name = String(text[next..<close])
                guard !name.isEmpty else { throw TransformFailure("template «\(text)»: empty «{}»") }
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.column(Int(name).map { .index($0) } ?? .name(name)))
                index = text.index(after: close)
                continue
            }
            literal.append(char)
            index = next
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        guard parts.contains(where: { if case .column = $0 { true } else { false } }) else {
            throw TransformFailure("template «\(text)» names no column; use `value:` for constant text")
        }
        self.parts = parts
    }
}

/// `map:` — translate the file's words into API codes (`Оплачен: payed`). Keys match exactly first, then
/// ignoring case and surrounding spaces.
struct ValueMap: Sendable, Equatable {
    var exact: [String: String]
    var folded: [String: String]
    /// Used for values the map does not list; nil makes them an error.
    var fallback: String?
    /// The keys' UTF-8 bytes, for the usual cell written exactly as a key: a map has a handful of entries,
    /// and comparing bytes skips the Unicode-aware hashing and comparison of Cyrillic `String` keys.
    private var byteKeys: [(key: [UInt8], value: String)]

    init(_ pairs: [(String, String)], fallback: String?) {
        exact = [:]
        folded = [:]
        byteKeys = []
        for (key, value) in pairs {
            exact[key] = value
            folded[Self.fold(key)] = value
            // A later key with the same bytes wins, as it does in `exact` (YAML keeps `1` and "1" apart).
            let bytes = Array(key.utf8)
            byteKeys.removeAll { $0.key == bytes }
            byteKeys.append((bytes, value))
        }
        self.fallback = fallback
    }

    static func == (lhs: ValueMap, rhs: ValueMap) -> Bool {
        lhs.exact == rhs.exact && lhs.folded == rhs.folded && lhs.fallback == rhs.fallback
            && lhs.byteKeys.elementsEqual(rhs.byteKeys) { $0.key == $1.key && $0.value == $1.value }
    }

    static func fold(_ text: String) -> String { TextTransforms.trim(text).lowercased() }

    /// Every value `apply` can return.
    var outputs: [String] { Array(exact.values) + (fallback.map { [$0] } ?? []) }

    func apply(_ value: String) throws(TransformFailure) -> String {
        if let hit = byteMatch(value) ?? exact[value] ?? folded[Self.fold(value)] { return hit }
        if let fallback { return fallback }
        throw TransformFailure(
            "«\(value)» is not listed under `map:`; add it, or set `map_default:` for values not listed")
    }

    /// The value of the key with exactly the bytes of `value`; a miss still goes through the `String`
    /// look-ups (canonically equivalent spellings, then case and spaces).
    private func byteMatch(_ value: String) -> String? {
        var copy = value
        return copy.withUTF8(byteMatch)
    }

    /// The keys `byteMatch` compares, with their values as bytes, in the order it compares them.
    var bytePairs: [(key: [UInt8], value: [UInt8])] { byteKeys.map { ($0.key, Array($0.value.utf8)) } }

    func byteMatch(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        for entry in byteKeys where entry.key.count == bytes.count {
            if entry.key.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) { return entry.value }
        }
        return nil
    }
}

/// Reference-type box so a field spec can hold the spec of its group date (a recursive value).
final class Boxed<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// One `fields:` entry of a mapping.
struct FieldSpec: Sendable {
    enum Source: Sendable {
        case column(ColumnReference)
        case constant(String)
        case template(Template)
    }

    var field: PayloadField
    var source: Source
    /// Used when the cell is empty or blank.
    var defaultValue: String?
    var transforms: [Transform] = []
    /// Separators that cut the value into a list (group names).
    var split: Set<Character>?
    var map: ValueMap?
    var required = false
    /// For `user.group_name`: where the date each group was joined comes from.
    var groupDate: Boxed<FieldSpec>?
    /// Where the entry sits in the mapping file, for errors found later (a missing column).
    var line: Int?
    var column: Int?
}

/// `skip:` — rows the import leaves out on purpose (test orders, rows without an email…).
struct SkipRule: Sendable {
    enum Condition: Sendable, Equatable {
        case empty
        /// Matches ignoring case and surrounding spaces.
        case equals([String])
    }

    var column: ColumnReference
    var condition: Condition
    var line: Int?
}
