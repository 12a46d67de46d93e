// Stage 2 of the data flow: a CSV record in, a payload (or the reasons it cannot be one) out.
package import CSVReader

/// A mapping bound to one file's header. Resolving the columns once keeps the per-row work to array
/// indexing; `map` is pure, so one mapper may serve several threads.
package struct RowMapper: Sendable {
    let mapping: Mapping
    let header: [String]
    /// Plans in JSON key order.
    let plans: [FieldPlan]
    /// The same plans, for the byte path's loop (`mapBytes`); `plans` keeps them alive.
    let unmanagedPlans: [Unmanaged<FieldPlan>]
    let skipRules: [(column: Int, condition: SkipRule.Condition, label: String)]
    /// Index into `plans` of the field that identifies a row (email, deal number, user id).
    let keyPlan: Int?
    let emailPlan: Int?
    let dealNumberPlan: Int?
    let multipleOffersPlan: Int?
    /// Where the values `check` and `verify` compare sit among the plans, found once, not per row.
    let factPlans: FactPlans
    let kindRules: KindRules
    /// Per plan, the value of a constant field, worked out once: it is the same on every row (a constant
    /// that fails its check is left to fail on every row, with the row's line).
    let constantValues: [FieldValue??]
    let layout: PayloadLayout

    /// Resolves every column the mapping names; an unknown column is an error that names it, lists the
    /// file's columns and suggests the nearest.
    package init(mapping: Mapping, header: [String]) throws(MappingError) {
        self.mapping = mapping
        self.header = header
        let resolver = ColumnResolver(mapping: mapping, header: header)
        // Every column the file lacks is reported at once, not one per try.
        var missing: [MappingError] = []
        var plans: [FieldPlan] = []
        for spec in mapping.fields {
            do throws(MappingError) { plans.append(try resolver.plan(spec)) } catch { missing.append(error) }
        }
        // Stable order: section, seed position, fixed keys before addfields, then the mapping's own order.
        let ordered = plans.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.field, rhs.element.field)
            if a.section != b.section { return a.section < b.section }
            if a.order != b.order { return a.order < b.order }
            if a.isAddfield != b.isAddfield { return !a.isAddfield }
            return lhs.offset < rhs.offset
        }
        let sorted = ordered.map(\.element)
        self.plans = sorted
        unmanagedPlans = sorted.map(Unmanaged.passUnretained)
        var rules: [(column: Int, condition: SkipRule.Condition, label: String)] = []
        for rule in mapping.skipRules {
            do throws(MappingError) {
                let index = try resolver.index(of: rule.column, key: "skip", line: rule.line, column: nil)
                let label = header.indices.contains(index) ? header[index] : "#\(index + 1)"
                rules.append((index, rule.condition, label))
            } catch {
                missing.append(error)
            }
        }
        if var first = missing.first {
            first.message += "; the file's columns: \(resolver.listing)\(resolver.encodingHint)"
            first.also = Array(missing.dropFirst())
            throw first
        }
        skipRules = rules
        keyPlan = mapping.naturalKeyField.flatMap { path in sorted.firstIndex { $0.field.path == path } }
        emailPlan = sorted.firstIndex { $0.field.path == "user.email" }
        dealNumberPlan = sorted.firstIndex { $0.field.path == "deal.deal_number" }
        multipleOffersPlan = sorted.firstIndex { $0.field.path == "system.multiple_offers" }
        factPlans = FactPlans(sorted)
        kindRules = KindRules(plans: sorted)
        layout = PayloadLayout(plans: sorted)
        constantValues = sorted.map { plan -> FieldValue?? in
            guard case .constant(let text) = plan.source, plan.groupDate == nil else { return nil }
            // Not `try?`: it would flatten a failure into `.some(nil)`, an empty field on every row.
            do { return .some(try plan.evaluate(text, fields: [])) } catch { return nil }
        }
    }

    /// The verdict on one record: a payload, the errors that stop it (each with line, column, field and
    /// value), or the skip rule that left it out.
    package func map(_ record: CSVRecord) -> MappedRow {
        var json = JSONWriter()
        if record.problems.isEmpty {
            var scratch = ByteScratch()
            let payload = CSVRawRecord.withLayout(of: record) { payloadBytes($0, scratch: &scratch, json: &json) }
            if let payload { return .payload(payload) }
        }
        var values: [FieldValue?] = []
        return mapWithKey(record, values: &values, json: &json).row
    }

    /// `map`, plus the row's natural key (normalised) for the duplicate check.
    /// `values` and `json` are scratch space for the field values and the JSON, kept by a caller that maps
    /// many rows so that each row does not allocate its own.
    func mapWithKey(
        _ record: CSVRecord, values: inout [FieldValue?], json: inout JSONWriter
    ) -> (row: MappedRow, key: String?) {
        if !record.problems.isEmpty {
            return (
                .invalid(row: record.row, line: record.line, errors: record.problems.map { csvError($0, record) }), nil
            )
        }
        let fields = record.fields
        for rule in skipRules {
            let cell = rule.column < fields.count ? fields[rule.column] : ""
            if let reason = Self.skipReason(cell, rule.condition, label: rule.label) {
                return (.skipped(row: record.row, line: record.line, reason: reason), nil)
            }
        }
        // Every slot is overwritten below, so the scratch array is only resized, never refilled with nils
        // (which went through the generic `replaceSubrange`).
        if values.count != plans.count { values = Array(repeating: nil, count: plans.count) }
        var errors: [RowError] = []
        for (index, plan) in plans.enumerated() {
            if let constant = constantValues[index] {
                values[index] = constant
                continue
            }
            let raw = plan.raw(fields)
            do {
                values[index] = try plan.evaluate(raw, fields: fields)
            } catch {
                values[index] = nil
                errors.append(
                    RowError(
                        row: record.row, line: record.line, column: error.columnNumber ?? plan.columnNumber,
                        columnName: error.columnNumber == nil ? plan.columnName : error.columnName,
                        field: plan.field.path, value: error.value ?? raw, message: error.message))
            }
        }
        kindRules.check(self, values: values, record: record, errors: &errors)
        if !errors.isEmpty { return (.invalid(row: record.row, line: record.line, errors: errors), nil) }
        let email = emailPlan.flatMap { Self.text(values[$0]) }.map { TextTransforms.lower(TextTransforms.trim($0)) }
        let dealNumber = dealNumberPlan.flatMap { Self.text(values[$0]) }
        // For users the key is the normalised email just computed; no second pass over it.
        let kind = mapping.kind
        let key = kind == .user ? email : keyPlan.flatMap { Self.text(values[$0]) }.map { Self.normaliseKey($0, kind) }
        let addsToOrder = multipleOffersPlan.map { values[$0] == .number("1") } ?? false
        let payload = ImportPayload(
            row: record.row, line: record.line, kind: kind,
            params: PayloadBuilder.json(layout: layout, values: values, using: &json), email: email,
            dealNumber: dealNumber, naturalKey: key, addsToOrder: addsToOrder)
        return (.payload(payload), key)
    }

    /// Only the natural key of a record, for the duplicate check's second pass (skips the JSON).
    func naturalKey(_ record: CSVRecord) -> String? {
        guard let keyPlan, record.problems.isEmpty else { return nil }
        let plan = plans[keyPlan]
        let value = try? plan.evaluate(plan.raw(record.fields), fields: record.fields)
        let kind = mapping.kind
        return Self.text(value).map { Self.normaliseKey($0, kind) }
    }

    /// Emails compare case-insensitively (GetCourse keys users that way); deal numbers and ids as written.
    /// Static: a method reference (`.map(normaliseKey)`) copied the whole mapper, a retain of each of its
    /// references, on every row.
    private static func normaliseKey(_ key: String, _ kind: ImportKind) -> String {
        kind == .user ? TextTransforms.lower(TextTransforms.trim(key)) : TextTransforms.trim(key)
    }

    static func text(_ value: FieldValue?) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    private func csvError(_ problem: CSVProblem, _ record: CSVRecord) -> RowError {
        let name = problem.column.flatMap { header.indices.contains($0 - 1) ? header[$0 - 1] : nil }
        // The cell at fault, for `--json`; a ragged row has none.
        let cell = problem.column.flatMap { record.fields.indices.contains($0 - 1) ? record.fields[$0 - 1] : nil }
        return RowError(
            row: record.row, line: problem.line, column: problem.column, columnName: name, field: RowError.csvField,
            value: problem.kind == .raggedRow ? "" : cell ?? "",
            message: Self.withoutLinePrefix(problem) + "; fix this line of the file (the row is not imported)")
    }

    /// The reader's messages may start with "line N: "; the error already carries the line.
    private static func withoutLinePrefix(_ problem: CSVProblem) -> String {
        let prefix = "line \(problem.line): "
        return problem.message.hasPrefix(prefix) ? String(problem.message.dropFirst(prefix.count)) : problem.message
    }

    static func skipReason(_ cell: String, _ condition: SkipRule.Condition, label: String) -> String? {
        switch condition {
        case .empty:
            return TextTransforms.isBlank(cell) ? "column «\(label)» is empty" : nil
        case .equals(let values):
            let folded = ValueMap.fold(cell)
            return values.contains { ValueMap.fold($0) == folded } ? "column «\(label)» is «\(cell)»" : nil
        }
    }
}

// MARK: - What a row sends, for the account checks

/// The values of one row that `check` and `verify` compare with the account.
struct RowFacts: Sendable, Equatable {
    var email: String?
    var dealNumber: String?
    var offerCode: String?
    var offerID: String?
    var productTitle: String?
    /// `deal.deal_cost` as a number.
    var cost: Double?
    /// `deal.deal_created_at`, `YYYY-MM-DD HH:MM:SS` (or a day).
    var createdAt: String?
    var groups: [GroupEntry] = []
    /// `user.id` of a group list (kind user_groups).
    var userID: String?
    var addsToOrder = false
}

extension RowMapper {
    /// The payload of a row and the values compared with the account; nil when the row would not be sent
    /// (invalid, or skipped by a rule).
    func facts(_ record: CSVRecord) -> (payload: ImportPayload, facts: RowFacts)? {
        var values: [FieldValue?] = []
        var json = JSONWriter()
        guard case .payload(let payload) = mapWithKey(record, values: &values, json: &json).row else { return nil }
        func text(_ index: Int?) -> String? {
            switch index.map({ values[$0] }) {
            case .string(let text)?, .number(let text)?: text
            default: nil
            }
        }
        let plans = factPlans
        var facts = RowFacts(
            email: payload.email, dealNumber: payload.dealNumber, offerCode: text(plans.offerCode),
            offerID: text(plans.offerID), productTitle: text(plans.productTitle),
            cost: text(plans.cost).flatMap(Double.init), createdAt: text(plans.createdAt), userID: text(plans.userID),
            addsToOrder: payload.addsToOrder)
        if case .groups(let entries)? = plans.groups.map({ values[$0] }) { facts.groups = entries }
        return (payload, facts)
    }

    /// Whether the mapping sends `user.group_name`.
    var sendsGroups: Bool { factPlans.groups != nil }
}

/// The positions among a mapper's plans of the fields `RowFacts` holds.
struct FactPlans: Sendable {
    let offerCode: Int?
    let offerID: Int?
    let productTitle: Int?
    let cost: Int?
    let createdAt: Int?
    let userID: Int?
    let groups: Int?

    init(_ plans: [FieldPlan]) {
        func index(_ path: String) -> Int? { plans.firstIndex { $0.field.path == path } }
        offerCode = index("deal.offer_code")
        offerID = index("deal.offer_id")
        productTitle = index("deal.product_title")
        cost = index("deal.deal_cost")
        createdAt = index("deal.deal_created_at")
        userID = index("user.id")
        groups = index("user.group_name")
    }
}
