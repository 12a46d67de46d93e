// A FieldSpec with its columns resolved against one file's header: what RowMapper runs per row.
import CSVReader

/// A value ready for the JSON: text, a number, or a group list.
enum FieldValue: Sendable, Equatable {
    case string(String)
    case number(String)
    case groups([GroupEntry])
}

/// One entry of `user.group_name`: a name, or a name with the date the user joined it.
struct GroupEntry: Sendable, Hashable {
    var name: String
    var date: String?
}

/// A resolved source and pipeline for one payload field. A class so the per-row loop passes a reference
/// instead of copying (and retaining) every array and map inside the spec.
final class FieldPlan: Sendable {
    enum Source: Sendable {
        /// 0-based index into the record's fields.
        case column(Int)
        case constant(String)
        case template([TemplatePart])
    }

    enum TemplatePart: Sendable {
        case literal(String)
        case column(Int)
    }

    /// Why a field has no usable value. The place defaults to the plan's own column; a group date's
    /// failure points at the date's column instead.
    struct Failure: Error {
        var message: String
        var columnNumber: Int?
        var columnName: String?
        var value: String?

        init(_ message: String, columnNumber: Int? = nil, columnName: String? = nil, value: String? = nil) {
            self.message = message
            self.columnNumber = columnNumber
            self.columnName = columnName
            self.value = value
        }
    }

    let spec: FieldSpec
    let field: PayloadField
    let source: Source
    let groupDate: FieldPlan?
    /// 1-based column and header name for errors (nil for constants and templates).
    let columnNumber: Int?
    let columnName: String?
    let transforms: [Transform]
    /// The transforms as the byte path runs them: plain values, each date's settings in `dateSteps`
    /// (copying a `Transform` out of its array retained the date's formats, on every cell).
    let byteSteps: [ByteStep]
    let dateSteps: [DateTransform]
    /// Group-name separators as bytes when they are all ASCII (the usual `;` `,`), for a byte-level split.
    let asciiSeparators: [UInt8]?
    /// The `email` transform already checked the syntax; the type check need not do it again.
    let emailChecked: Bool
    /// `"key":` and `"section":` as JSON bytes, built once instead of escaped per row.
    let jsonKey: [UInt8]
    let jsonSection: [UInt8]
    /// Copies of the spec's and field's per-row settings as plain stored values: reading `spec.map` or
    /// `field.type` per row copied (and retained) the map's dictionaries and the type's closed set.
    let section: PayloadSection
    let isAddfield: Bool
    let isGroups: Bool
    let type: FieldType
    let required: Bool
    let defaultValue: String?
    let valueMap: ValueMap?
    /// The value map's exact keys as bytes, for the byte path; freed with the plan.
    let mapTable: ByteTable?
    /// The field type's check can be skipped: text and phone (taken as they are), an email the `email`
    /// transform already checked, a date the `date` transform just wrote, a code a value map gives when
    /// every value of the map is a valid code (a set look-up, with string hashing, per row saved).
    let skipsTypeCheck: Bool

    deinit { mapTable?.deallocate() }

    init(spec: FieldSpec, source: Source, groupDate: FieldPlan?, columnNumber: Int?, columnName: String?) {
        self.spec = spec
        self.field = spec.field
        self.source = source
        self.groupDate = groupDate
        self.columnNumber = columnNumber
        self.columnName = columnName
        self.transforms = spec.transforms
        var steps: [ByteStep] = []
        var dates: [DateTransform] = []
        for transform in spec.transforms {
            switch transform {
            case .trim: steps.append(.trim)
            case .lower: steps.append(.lower)
            case .upper: steps.append(.upper)
            case .collapseSpaces: steps.append(.collapseSpaces)
            case .phone: steps.append(.phone)
            case .email: steps.append(.email)
            case .money: steps.append(.money)
            case .date(let date):
                dates.append(date)
                steps.append(.date(dates.count - 1))
            }
        }
        byteSteps = steps
        dateSteps = dates
        let separators = spec.split.map { Array($0) } ?? []
        asciiSeparators =
            separators.allSatisfy { $0.isASCII && $0.utf8.count == 1 } ? separators.compactMap(\.asciiValue) : nil
        emailChecked = spec.transforms.contains { if case .email = $0 { true } else { false } }
        jsonKey = JSONWriter.keyBytes(spec.field.key)
        jsonSection = JSONWriter.keyBytes(spec.field.section.name)
        section = spec.field.section
        isAddfield = spec.field.isAddfield
        isGroups = spec.field.type == .groups
        type = spec.field.type
        required = spec.required
        defaultValue = spec.defaultValue
        valueMap = spec.map
        mapTable = spec.map.map { ByteTable($0.bytePairs) }
        // A date transform without a zone conversion writes a date it parsed and found valid, in the API's
        // format; the `dateTime` check would parse it again only to accept it.
        let endsInPlainDate: Bool
        if case .date(let transform)? = spec.transforms.last {
            endsInPlainDate = transform.convertsNothing
        } else {
            endsInPlainDate = false
        }
        let mapGivesOnlyCodes: Bool
        if case .closed(let set) = spec.field.type, let map = spec.map {
            mapGivesOnlyCodes = map.outputs.allSatisfy(set.contains)
        } else {
            mapGivesOnlyCodes = false
        }
        skipsTypeCheck =
            spec.field.type == .text || spec.field.type == .phone || (emailChecked && spec.field.type == .email)
            || (spec.field.type == .dateTime && spec.map == nil && endsInPlainDate) || mapGivesOnlyCodes
    }

    /// The cell (or constant, or joined template) before any transform.
    @inline(__always)
    func raw(_ fields: [String]) -> String {
        switch source {
        case .column(let index): return index < fields.count ? fields[index] : ""
        case .constant(let value): return value
        case .template(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .literal(let literal): text += literal
                case .column(let index): if index < fields.count { text += fields[index] }
                }
            }
            // Empty parts must not leave double or dangling spaces ("Иван " when the surname is empty).
            return TextTransforms.collapseSpaces(text)
        }
    }

    /// Runs the pipeline: default for blanks, transforms, split, map, then the field type's check.
    /// Returns nil for an empty optional field (left out of the payload).
    func evaluate(_ raw: String, fields: [String]) throws(FieldPlan.Failure) -> FieldValue? {
        var value = raw
        if TextTransforms.isBlank(value) {
            guard let fallback = defaultValue else {
                if required { throw Failure("required, but the cell is empty; fill it or set `default:`") }
                return nil
            }
            value = fallback
        }
        let result: FieldValue?
        var groupNames: [String]?
        do throws(TransformFailure) {
            for transform in transforms { value = try transform.apply(value) }
            if isGroups {
                groupNames = try groups(value)
                result = nil
            } else {
                if let map = valueMap { value = try map.apply(value) }
                if TextTransforms.isBlank(value) {
                    if required { throw TransformFailure("required, but empty after the transforms") }
                    result = nil
                } else {
                    result = skipsTypeCheck ? .string(value) : try FieldValidator.finalise(value, as: type)
                }
            }
        } catch {
            throw Failure(error.message)
        }
        guard let names = groupNames else { return result }
        // The entries are built once, with their date: filling the date into a built list copied the list.
        guard let plan = groupDate else { return .groups(names.map { GroupEntry(name: $0, date: nil) }) }
        let rawDate = plan.raw(fields)
        var date: String?
        do {
            if case .string(let text)? = try plan.evaluate(rawDate, fields: fields) { date = text }
        } catch {
            throw Failure(
                "group date: " + error.message, columnNumber: plan.columnNumber, columnName: plan.columnName,
                value: rawDate)
        }
        return .groups(names.map { GroupEntry(name: $0, date: date) })
    }

    /// The group names of the cell, or nil when there are none (and the field is optional).
    private func groups(_ value: String) throws(TransformFailure) -> [String]? {
        var names: [String]
        if let separators = asciiSeparators, !separators.isEmpty {
            names = TextTransforms.split(value, on: separators)
        } else if let separators = spec.split {
            names = value.split(whereSeparator: separators.contains).map { TextTransforms.trim(String($0)) }
        } else {
            names = [TextTransforms.trim(value)]
        }
        if let map = valueMap { names = try names.map { (name) throws(TransformFailure) in try map.apply(name) } }
        names.removeAll(where: TextTransforms.isBlank)
        if names.isEmpty {
            if required { throw TransformFailure("required, but no group names in the cell") }
            return nil
        }
        return names
    }
}
