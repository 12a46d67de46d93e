@testable import CSVReader
@testable import GCImportKit

/// Builds a mapping from inline YAML, labelled `test.yaml` in errors.
func loadMapping(_ yaml: String) throws -> Mapping {
    try Mapping.parse(yaml: yaml, path: "test.yaml")
}

/// The error a mapping text produces (nil when it loads).
func mappingError(_ yaml: String) -> MappingError? {
    do {
        _ = try Mapping.parse(yaml: yaml, path: "test.yaml")
        return nil
    } catch {
        return error
    }
}

/// Maps one row given as fields, on physical line `line`.
func mapRow(_ mapping: Mapping, header: [String], _ fields: [String], line: Int = 2) throws -> MappedRow {
    try RowMapper(mapping: mapping, header: header).map(CSVRecord(row: line - 1, line: line, fields: fields))
}

extension MappedRow {
    /// The payload, or nil when the row is not one (for `try #require(row.payload)`).
    var payload: ImportPayload? {
        if case .payload(let payload) = self { return payload }
        return nil
    }

    /// The params JSON as text, or nil when the row is not a payload.
    var json: String? {
        if case .payload(let payload) = self { return String(decoding: payload.params, as: UTF8.self) }
        return nil
    }

    var errors: [RowError] {
        if case .invalid(_, _, let errors) = self { return errors }
        return []
    }
}

let userHeader = ["Email", "Имя", "Фамилия", "Телефон", "Город", "Группы", "Дата регистрации", "utm_source"]
