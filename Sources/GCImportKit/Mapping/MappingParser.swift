// YAML → Mapping. Works on Yams' node tree (not Codable) so every error can point at the line and column of
// the key at fault, and unknown keys can be caught and matched to the nearest valid one.
import CSVReader
import Yams

/// Reads the top level of a mapping file; `fields:` entries go to `FieldSpecParser`.
struct MappingParser {
    let path: String

    static let topLevelKeys = [
        "kind", "csv", "fields", "skip", "allow_phone_only", "timezone", "account_timezone", "description",
    ]
    static let csvKeys = ["delimiter", "encoding", "header"]

    func parse(_ yaml: String) throws(MappingError) -> Mapping {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw yamlError(error)
        } catch {
            throw MappingError(file: path, message: "not valid YAML (\(error))")
        }
        guard let root, let top = root.mapping else {
            throw MappingError(file: path, message: "the mapping must be a YAML mapping with `kind:` and `fields:`")
        }
        try checkKeys(top, allowed: Self.topLevelKeys, context: nil)
        let kind = try parseKind(top)
        var mapping = Mapping(
            path: path, source: yaml, kind: kind, allowPhoneOnly: false, fields: [], skipRules: [])
        if let csv = top["csv"] { try parseCSV(csv, into: &mapping) }
        if let allow = top["allow_phone_only"] {
            guard let value = allow.bool else { throw error(at: allow, key: "allow_phone_only", "use true or false") }
            mapping.allowPhoneOnly = value
        }
        let zones = try (zone(top, "timezone"), zone(top, "account_timezone"))
        if (zones.0 == nil) != (zones.1 == nil) {
            throw error(
                at: top["timezone"] ?? top["account_timezone"] ?? root, key: "timezone",
                "set both `timezone:` (the file's) and `account_timezone:` (the GetCourse account's), or neither")
        }
        let fieldParser = FieldSpecParser(path: path, kind: kind, zones: zones)
        guard let fields = top["fields"], let fieldMap = fields.mapping, !fieldMap.isEmpty else {
            throw MappingError(
                file: path, key: "fields", message: "no `fields:`; map at least one payload field (e.g. user.email)")
        }
        // Every field's problem (an unknown key, a transform misspelt) is reported at once, not one per try.
        var problems: [MappingError] = []
        var firstKey: [String: String] = [:]
        for (keyNode, valueNode) in fieldMap {
            do throws(MappingError) {
                let spec = try fieldParser.parse(keyNode, valueNode)
                let name = keyNode.string ?? ""
                // An alias and its key would write the same JSON key twice.
                if let earlier = firstKey[spec.field.path] {
                    throw error(
                        at: keyNode, key: "fields.\(name)",
                        "\(name) and \(earlier) are the same field (\(spec.field.path)); keep one")
                }
                firstKey[spec.field.path] = name
                mapping.fields.append(spec)
            } catch {
                problems.append(error)
            }
        }
        if var first = problems.first {
            first.also = Array(problems.dropFirst())
            throw first
        }
        if let skip = top["skip"] { mapping.skipRules = try parseSkip(skip) }
        try checkRequiredFields(mapping)
        return mapping
    }

    /// Fields every row of a kind needs must at least be mapped; otherwise every row would fail the same way.
    private func checkRequiredFields(_ mapping: Mapping) throws(MappingError) {
        let mapped = Set(mapping.fields.map(\.field.path))
        let missing: String?
        switch mapping.kind {
        case .user:
            missing =
                mapped.contains("user.email") || (mapping.allowPhoneOnly && mapped.contains("user.phone"))
                ? nil : "kind user needs user.email (or user.phone with `allow_phone_only: true`)"
        case .deal:
            if !mapped.contains("user.email") {
                missing = "kind deal needs user.email (the buyer)"
            } else if mapped.isDisjoint(with: ["deal.offer_code", "deal.product_title", "deal.offer_id"]) {
                missing = "kind deal needs deal.offer_code, deal.product_title or deal.offer_id"
            } else {
                missing = mapped.contains("deal.deal_cost") ? nil : "kind deal needs deal.deal_cost"
            }
        case .dealStatus:
            let needed = ["user.email", "deal.deal_number", "deal.deal_status"].filter { !mapped.contains($0) }
            missing =
                needed.isEmpty
                ? nil
                : "kind deal_status needs user.email, deal.deal_number and deal.deal_status (missing: "
                    + needed.joined(separator: ", ") + ")"
        case .userGroups:
            missing =
                mapped.isSuperset(of: ["user.id", "user.group_name"])
                ? nil : "kind user_groups needs user.id (GetCourse's numeric user id) and user.group_name"
        }
        if let missing { throw MappingError(file: path, key: "fields", message: missing + "; add it under `fields:`") }
    }

    // MARK: - Top-level keys

    private func parseKind(_ top: Node.Mapping) throws(MappingError) -> ImportKind {
        guard let node = top["kind"] else {
            throw MappingError(
                file: path, key: "kind", message: "missing `kind:`; use user, deal, deal_status or user_groups")
        }
        guard let text = node.string, let kind = ImportKind(rawValue: text) else {
            let text = node.string ?? ""
            throw error(
                at: node, key: "kind",
                "unknown kind «\(text)»; use user, deal, deal_status or user_groups"
                    + NearestMatch.suggestion(for: text, in: ImportKind.allCases.map(\.rawValue)))
        }
        return kind
    }

    private func parseCSV(_ node: Node, into mapping: inout Mapping) throws(MappingError) {
        guard let csv = node.mapping else { throw error(at: node, key: "csv", "expected delimiter/encoding/header") }
        try checkKeys(csv, allowed: Self.csvKeys, context: "csv")
        if let delimiter = csv["delimiter"] {
            let text = delimiter.string ?? ""
            guard let named = CSVDelimiter(name: text) else {
                throw error(at: delimiter, key: "csv.delimiter", "«\(text)» is not supported; use , ; | or tab")
            }
            mapping.delimiter = named.rawValue
        }
        if let encoding = csv["encoding"] {
            let text = (encoding.string ?? "").lowercased()
            switch text {
            case "utf-8", "utf8": mapping.encoding = .utf8
            case "windows-1251", "cp1251", "win1251", "1251": mapping.encoding = .windows1251
            default:
                throw error(at: encoding, key: "csv.encoding", "«\(text)» is not supported; use utf-8 or windows-1251")
            }
        }
        if let header = csv["header"] {
            guard let value = header.bool else { throw error(at: header, key: "csv.header", "use true or false") }
            mapping.hasHeader = value
        }
    }

    private func zone(_ top: Node.Mapping, _ key: String) throws(MappingError) -> TimeZoneSetting? {
        guard let node = top[key] else { return nil }
        guard let text = node.string, let zone = TimeZoneSetting(text) else {
            throw error(
                at: node, key: key, "unknown time zone; use an offset like +03:00, UTC, or a name like Europe/Moscow")
        }
        return zone
    }

    private func parseSkip(_ node: Node) throws(MappingError) -> [SkipRule] {
        guard let items = node.sequence else {
            throw error(at: node, key: "skip", "expected a list, e.g. `- {column: Email, empty: true}`")
        }
        var rules: [SkipRule] = []
        for item in items {
            guard let rule = item.mapping, let columnNode = rule["column"] else {
                throw error(at: item, key: "skip", "each rule needs `column:` and `empty: true` or `equals: …`")
            }
            try checkKeys(rule, allowed: ["column", "empty", "equals"], context: "skip")
            let column = try FieldSpecParser.columnReference(columnNode, path: path, key: "skip.column")
            let condition: SkipRule.Condition
            if let equals = rule["equals"] {
                let values = equals.sequence.map { $0.compactMap(\.string) } ?? equals.string.map { [$0] } ?? []
                condition = .equals(values)
            } else if rule["empty"]?.bool == true {
                condition = .empty
            } else {
                throw error(at: item, key: "skip", "say when to skip: `empty: true` or `equals: value`")
            }
            rules.append(SkipRule(column: column, condition: condition, line: item.mark?.line))
        }
        return rules
    }

    // MARK: - Helpers

    /// Rejects keys outside `allowed`, naming the nearest allowed one.
    func checkKeys(_ mapping: Node.Mapping, allowed: [String], context: String?) throws(MappingError) {
        for key in mapping.keys {
            let name = key.string ?? ""
            if !allowed.contains(name) {
                let full = context.map { "\($0).\(name)" } ?? name
                throw error(
                    at: key, key: full,
                    "unknown key" + NearestMatch.suggestion(for: name, in: allowed) + "; valid keys here: "
                        + allowed.joined(separator: ", "))
            }
        }
    }

    func error(at node: Node, key: String, _ message: String) -> MappingError {
        MappingError(file: path, line: node.mark?.line, column: node.mark?.column, key: key, message: message)
    }

    private func yamlError(_ error: YamlError) -> MappingError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            MappingError(
                file: path, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            MappingError(
                file: path, line: context.mark.line, column: context.mark.column,
                message: "a key appears twice: \(duplicates.joined(separator: ", "))")
        default:
            MappingError(file: path, message: "not valid YAML (\(error))")
        }
    }
}
