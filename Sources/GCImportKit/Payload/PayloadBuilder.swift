// Field values → the params JSON, with the sections and keys in seed 000's order so the same row always
// produces the same bytes (the ledger hashes and the tests compare them).

/// Writes one row's values as compact JSON: `{"user":{…,"addfields":{…}},"system":{…},"session":{…},
/// "deal":{…}}`; empty sections are left out.
enum PayloadBuilder {
    /// The params JSON of one row, written with `writer` (reset first), so a loop over many rows reuses one
    /// buffer.
    static func json(layout: PayloadLayout, values: [FieldValue?], using writer: inout JSONWriter) -> [UInt8] {
        write(layout: layout, values: values, into: &writer)
        return writer.bytes
    }

    /// Writes the params JSON of one row into `writer` (reset first), leaving the copy out to the caller:
    /// the dry run keeps the bytes only when it writes a payloads file.
    static func write<Values: PayloadValues>(layout: PayloadLayout, values: Values, into writer: inout JSONWriter) {
        writer.reset()
        layout.keyBytes.withUnsafeBufferPointer { keys in
            layout.slots.withUnsafeBufferPointer { slots in
                writer.beginObject()
                var section: PayloadSection?
                var inAddfields = false
                for index in 0..<min(slots.count, values.count) {
                    guard values.isPresent(index) else { continue }
                    let slot = slots[index]
                    if section != slot.section {
                        if inAddfields { writer.endObject() }
                        if section != nil { writer.endObject() }
                        writer.rawKey(UnsafeBufferPointer(rebasing: keys[slot.sectionKey]))
                        writer.beginObject()
                        section = slot.section
                        inAddfields = false
                    }
                    if slot.isAddfield && !inAddfields {
                        writer.key("addfields")
                        writer.beginObject()
                        inAddfields = true
                    } else if !slot.isAddfield && inAddfields {
                        writer.endObject()
                        inAddfields = false
                    }
                    writer.rawKey(UnsafeBufferPointer(rebasing: keys[slot.key]))
                    values.write(index, to: &writer)
                }
                if inAddfields { writer.endObject() }
                if section != nil { writer.endObject() }
                writer.endObject()
            }
        }
    }

    fileprivate static func write(_ value: FieldValue, to writer: inout JSONWriter) {
        switch value {
        case .string(let text): writer.string(text)
        case .number(let digits): writer.number(digits)
        case .groups(let groups): writer.groupList(groups, name: \.name, date: \.date)
        }
    }

    /// The exact form body the run would POST, with the key shown as `***`.
    static func maskedBody(_ payload: ImportPayload) -> String {
        FormBody.masked(action: payload.kind.action, params: payload.params)
    }
}

/// One row's values as the payload builder reads them, by plan index: the `FieldValue`s of the `String`
/// mapping, or the byte-level mapping's values.
protocol PayloadValues: ~Copyable {
    var count: Int { get }
    /// Whether the field has a value (an empty optional field is left out of the JSON).
    func isPresent(_ index: Int) -> Bool
    func write(_ index: Int, to writer: inout JSONWriter)
}

extension Array: PayloadValues where Element == FieldValue? {
    func isPresent(_ index: Int) -> Bool { self[index] != nil }

    func write(_ index: Int, to writer: inout JSONWriter) {
        if let value = self[index] { PayloadBuilder.write(value, to: &writer) }
    }
}

/// Where each field of a mapper goes in the JSON, flattened once per mapper so that writing a row touches
/// no field plan (walking the plans retained and released each one): the section and addfields flags, and
/// the ranges of its `"key":` and `"section":` in one buffer.
struct PayloadLayout: Sendable {
    struct Slot: Sendable {
        var section: PayloadSection
        var isAddfield: Bool
        var key: Range<Int>
        var sectionKey: Range<Int>
    }

    let slots: [Slot]
    let keyBytes: [UInt8]

    /// `plans` in JSON order, as `RowMapper` keeps them.
    init(plans: [FieldPlan]) {
        var bytes: [UInt8] = []
        var slots: [Slot] = []
        for plan in plans {
            let sectionStart = bytes.count
            bytes += plan.jsonSection
            let keyStart = bytes.count
            bytes += plan.jsonKey
            slots.append(
                Slot(
                    section: plan.section, isAddfield: plan.isAddfield, key: keyStart..<bytes.count,
                    sectionKey: sectionStart..<keyStart))
        }
        self.slots = slots
        keyBytes = bytes
    }
}
