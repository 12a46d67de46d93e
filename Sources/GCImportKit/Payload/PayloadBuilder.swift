// Field values → the params JSON, with the sections and keys in seed 000's order so the same row always
// produces the same bytes (the ledger hashes and the tests compare them).

/// Writes one row's values as compact JSON: `{"user":{…,"addfields":{…}},"system":{…},"session":{…},
/// "deal":{…}}`; empty sections are left out.
enum PayloadBuilder {
    static func json(plans: [FieldPlan], values: [FieldValue?]) -> [UInt8] {
        // 512: a 12-column user row is ~370 bytes and a deal ~390, so 384 made a fifth of the users and half
        // the deals grow (reallocate and copy) mid-row.
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        var section: PayloadSection?
        var inAddfields = false
        for (plan, value) in zip(plans, values) {
            guard let value else { continue }
            if section != plan.section {
                if inAddfields { writer.endObject() }
                if section != nil { writer.endObject() }
                writer.rawKey(plan.jsonSection)
                writer.beginObject()
                section = plan.section
                inAddfields = false
            }
            if plan.isAddfield && !inAddfields {
                writer.key("addfields")
                writer.beginObject()
                inAddfields = true
            } else if !plan.isAddfield && inAddfields {
                writer.endObject()
                inAddfields = false
            }
            writer.rawKey(plan.jsonKey)
            write(value, to: &writer)
        }
        if inAddfields { writer.endObject() }
        if section != nil { writer.endObject() }
        writer.endObject()
        return writer.bytes
    }

    private static func write(_ value: FieldValue, to writer: inout JSONWriter) {
        switch value {
        case .string(let text): writer.string(text)
        case .number(let digits): writer.number(digits)
        case .groups(let groups):
            writer.beginArray()
            for group in groups {
                if let date = group.date {
                    writer.beginArray()
                    writer.string(group.name)
                    writer.string(date)
                    writer.endArray()
                } else {
                    writer.string(group.name)
                }
            }
            writer.endArray()
        }
    }

    /// The exact form body the run would POST, with the key shown as `***`.
    static func maskedBody(_ payload: ImportPayload) -> String {
        FormBody.masked(action: payload.kind.action, params: payload.params)
    }
}
