// One `fields:` entry → FieldSpec. Accepts the short forms people write first (`user.email: Email`,
// `user.city: 5`) and the long form with transforms, defaults and maps.
import Yams

/// Parses and checks one `fields:` entry against the catalogue of payload fields.
struct FieldSpecParser {
    let path: String
    let kind: ImportKind
    let zones: (TimeZoneSetting?, TimeZoneSetting?)

    static let specKeys = [
        "column", "value", "template", "default", "transforms", "split", "map", "map_default", "required",
        "group_date",
    ]

    private var base: MappingParser { MappingParser(path: path) }

    func parse(_ keyNode: Node, _ valueNode: Node) throws(MappingError) -> FieldSpec {
        let name = keyNode.string ?? ""
        guard let field = PayloadField.lookup(name) else {
            let valid = PayloadField.validPaths(for: kind)
            throw base.error(
                at: keyNode, key: "fields.\(name)",
                "unknown payload field" + NearestMatch.suggestion(for: name, in: valid)
                    + "; fields are user.*, user.addfields.<name>, system.*, session.*, deal.* (see the README, section «Mapping files»)"
            )
        }
        guard field.kinds.contains(kind) else {
            throw base.error(
                at: keyNode, key: "fields.\(name)",
                "\(name) is not part of a kind \(kind.rawValue) import; it belongs to "
                    + field.kinds.map(\.rawValue).sorted().joined(separator: "/"))
        }
        return try parseSpec(field, valueNode, key: "fields.\(name)")
    }

    private func parseSpec(_ field: PayloadField, _ node: Node, key: String) throws(MappingError) -> FieldSpec {
        let mark = node.mark
        if node.scalar != nil {
            return FieldSpec(
                field: field, source: .column(try Self.columnReference(node, path: path, key: key)),
                line: mark?.line, column: mark?.column)
        }
        guard let spec = node.mapping else {
            throw base.error(at: node, key: key, "expected a column name, or a mapping with `column:` / `value:`")
        }
        try base.checkKeys(spec, allowed: Self.specKeys, context: key)
        let sources = ["column", "value", "template"].filter { spec[$0] != nil }
        guard sources.count == 1 else {
            throw base.error(
                at: node, key: key,
                sources.isEmpty
                    ? "say where the value comes from: `column:`, `value:` (a constant) or `template:`"
                    : "use only one of `column:`, `value:` and `template:`")
        }
        var result = FieldSpec(field: field, source: try source(spec, key: key), line: mark?.line, column: mark?.column)
        if let value = spec["default"] { result.defaultValue = try scalar(value, key: "\(key).default") }
        if let value = spec["required"] {
            guard let flag = value.bool else {
                throw base.error(at: value, key: "\(key).required", "use true or false")
            }
            result.required = flag
        }
        if let value = spec["transforms"] { try parseTransforms(value, key: "\(key).transforms", into: &result) }
        if let value = spec["split"] { result.split = try separators(value, key: "\(key).split") }
        if let value = spec["map"] {
            guard let pairs = value.mapping else {
                throw base.error(at: value, key: "\(key).map", "expected `file value: api value` pairs")
            }
            var list: [(String, String)] = []
            for (from, to) in pairs { list.append((from.string ?? "", try scalar(to, key: "\(key).map"))) }
            let fallback = try spec["map_default"].map { (node) throws(MappingError) in
                try scalar(node, key: "\(key).map_default")
            }
            result.map = ValueMap(list, fallback: fallback)
        } else if let value = spec["map_default"] {
            throw base.error(at: value, key: "\(key).map_default", "`map_default:` needs a `map:` beside it")
        }
        if let value = spec["group_date"] {
            guard field.type == .groups else {
                throw base.error(at: value, key: "\(key).group_date", "only user.group_name takes a group date")
            }
            // The date is checked and written as a date, not as a group list.
            var dateField = field
            dateField.type = .dateTime
            var date = try parseSpec(dateField, value, key: "\(key).group_date")
            if !date.transforms.contains(where: { if case .date = $0 { true } else { false } }) {
                date.transforms.append(.date(makeDate(DateTransform.defaultPatterns)))
            }
            result.groupDate = Boxed(date)
        }
        if result.split != nil && field.type != .groups {
            throw base.error(at: node, key: "\(key).split", "only user.group_name is a list; remove `split:`")
        }
        return result
    }

    private func source(_ spec: Node.Mapping, key: String) throws(MappingError) -> FieldSpec.Source {
        if let column = spec["column"] {
            return .column(try Self.columnReference(column, path: path, key: "\(key).column"))
        }
        if let value = spec["value"] { return .constant(try scalar(value, key: "\(key).value")) }
        guard let node = spec["template"], let text = node.string else {
            throw MappingError(file: path, key: key, message: "`template:` must be text like \"{Имя} {Фамилия}\"")
        }
        do {
            return .template(try Template(text))
        } catch {
            throw base.error(at: node, key: "\(key).template", error.message)
        }
    }

    private func parseTransforms(_ node: Node, key: String, into spec: inout FieldSpec) throws(MappingError) {
        let items = node.sequence.map(Array.init) ?? [node]
        for item in items {
            if let name = item.scalar?.string {
                if name == "date" {
                    spec.transforms.append(.date(makeDate(DateTransform.defaultPatterns)))
                } else if let transform = Transform.simple(name) {
                    spec.transforms.append(transform)
                } else if name == "split" {
                    spec.split = [";", ","]
                } else {
                    throw base.error(
                        at: item, key: key,
                        "unknown transform «\(name)»" + NearestMatch.suggestion(for: name, in: Transform.names)
                            + "; transforms: " + Transform.names.joined(separator: ", "))
                }
                continue
            }
            guard let pair = item.mapping, pair.count == 1, let first = pair.first, let name = first.key.string else {
                throw base.error(
                    at: item, key: key, "a transform is a name (`trim`) or `date: [formats]` / `split: \";\"`")
            }
            let (argKey, argument) = (first.key, first.value)
            switch name {
            case "date":
                let formats = argument.sequence.map { $0.compactMap(\.string) } ?? argument.string.map { [$0] } ?? []
                var patterns: [DatePattern] = []
                for format in formats {
                    do {
                        patterns.append(try DatePattern(format))
                    } catch {
                        throw base.error(at: argument, key: "\(key).date", error.message)
                    }
                }
                guard !patterns.isEmpty else {
                    throw base.error(at: argument, key: "\(key).date", "list the formats, e.g. [dd.MM.yyyy HH:mm]")
                }
                spec.transforms.append(.date(makeDate(patterns)))
            case "split":
                spec.split = try separators(argument, key: "\(key).split")
            default:
                throw base.error(
                    at: argKey, key: key,
                    "transform «\(name)» takes no argument or is unknown"
                        + NearestMatch.suggestion(for: name, in: Transform.names))
            }
        }
    }

    // MARK: - Values

    /// A column by header text (`Email`, `"2024"`) or by 1-based position (an unquoted number).
    static func columnReference(_ node: Node, path: String, key: String) throws(MappingError) -> ColumnReference {
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            throw MappingError(
                file: path, line: node.mark?.line, column: node.mark?.column, key: key,
                message: "expected a column name or a 1-based column number")
        }
        if scalar.style == .plain, let index = Int(scalar.string) {
            guard index >= 1 else {
                throw MappingError(
                    file: path, line: node.mark?.line, column: node.mark?.column, key: key,
                    message: "column numbers start at 1")
            }
            return .index(index)
        }
        return .name(scalar.string)
    }

    private func scalar(_ node: Node, key: String) throws(MappingError) -> String {
        guard let scalar = node.scalar else { throw base.error(at: node, key: key, "expected a single value") }
        return scalar.string
    }

    private func separators(_ node: Node, key: String) throws(MappingError) -> Set<Character> {
        let text = node.scalar?.string ?? ""
        guard !text.isEmpty else { throw base.error(at: node, key: key, "give the separators, e.g. \";,\"") }
        return Set(text)
    }

    private func makeDate(_ patterns: [DatePattern]) -> DateTransform {
        DateTransform(patterns: patterns, from: zones.0, to: zones.1)
    }
}
