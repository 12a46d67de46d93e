// Binds the mapping's column references to positions in one file's header, once per run.
import CSVReader

/// Turns column names and numbers into 0-based indexes; a reference the file cannot satisfy is a
/// `MappingError` naming the column and suggesting the nearest (the caller lists the file's columns once).
struct ColumnResolver {
    let mapping: Mapping
    let header: [String]

    func plan(_ spec: FieldSpec) throws(MappingError) -> FieldPlan {
        let key = "fields.\(spec.field.path)"
        let source: FieldPlan.Source
        var number: Int?
        var name: String?
        switch spec.source {
        case .column(let reference):
            let index = try self.index(of: reference, key: key, line: spec.line, column: spec.column)
            source = .column(index)
            number = index + 1
            name = header.indices.contains(index) ? header[index] : nil
        case .constant(let value):
            source = .constant(value)
        case .template(let template):
            var parts: [FieldPlan.TemplatePart] = []
            for part in template.parts {
                switch part {
                case .literal(let text): parts.append(.literal(text))
                case .column(let reference):
                    parts.append(.column(try index(of: reference, key: key, line: spec.line, column: spec.column)))
                }
            }
            source = .template(parts)
        }
        let groupDate = try spec.groupDate.map { (boxed) throws(MappingError) in try plan(boxed.value) }
        return FieldPlan(spec: spec, source: source, groupDate: groupDate, columnNumber: number, columnName: name)
    }

    func index(of reference: ColumnReference, key: String, line: Int?, column: Int?) throws(MappingError) -> Int {
        switch reference {
        case .index(let number):
            guard number <= header.count else {
                throw MappingError(
                    file: mapping.path, line: line, column: column, key: key,
                    message: "column #\(number), but the CSV file has \(header.count) columns")
            }
            return number - 1
        case .name(let name):
            if let exact = header.firstIndex(of: name) { return exact }
            // Headers from Excel often carry stray spaces or a different case; accept those unambiguously.
            let folded = ValueMap.fold(name)
            let loose = header.indices.filter { ValueMap.fold(header[$0]) == folded }
            if loose.count == 1 { return loose[0] }
            throw MappingError(
                file: mapping.path, line: line, column: column, key: key,
                message: "column «\(name)» is not in the CSV file" + NearestMatch.suggestion(for: name, in: header))
        }
    }

    /// `1 «Email», 2 «Имя», …`, for the first error of a mapping that does not fit.
    var listing: String {
        header.enumerated().map { "\($0.offset + 1) «\($0.element)»" }.joined(separator: ", ")
    }

    /// When the column names are garbled, the likely reason no name matched: the file's encoding.
    var encodingHint: String {
        for name in header {
            guard let suspect = Mojibake.suspect(name) else { continue }
            return "; the column names look like \(suspect.kind.explanation) («\(name)» reads «\(suspect.repaired)»): "
                + "check the file's encoding (--encoding, or `encoding:` under `csv:` in the mapping)"
        }
        return ""
    }
}
