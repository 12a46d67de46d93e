// Stage 2 on bytes: a row's cells as byte ranges, transforms on bytes, the JSON written from them. A row
// this cannot map (an error, a skip rule that applies, a template) is mapped again through `mapWithKey`, which
// stays the reference: both give the same payload, byte for byte, for every row the byte path accepts.
import CSVReader

/// What `RowMapper.mapBytes` gives besides the JSON; the bytes are valid until the scratch's next reset.
struct ByteVerdict {
    var email: UnsafeBufferPointer<UInt8>?
    var dealNumber: UnsafeBufferPointer<UInt8>?
    /// The normalised natural key.
    var key: UnsafeBufferPointer<UInt8>?
    var addsToOrder: Bool
}

/// What `RowMapper.naturalKeyBytes` finds; the bytes are valid until the scratch's next reset.
enum ByteKey {
    case key(UnsafeBufferPointer<UInt8>)
    case none
    case unknown
}

extension RowMapper {
    /// Maps a row without a `String` per cell, writing its params JSON into `json`; nil when the row is not a
    /// payload or the byte path leaves it to `mapWithKey` (invalid, skipped, templates, rows with problems).
    /// The normalised email is left out unless `wantsEmail` or it is the key (the dry run needs only keys).
    func mapBytes(_ row: CSVRawRecord, scratch: inout ByteScratch, json: inout JSONWriter, wantsEmail: Bool = true)
        -> ByteVerdict?
    {
        guard row.decoded == nil, row.isUTF8 else { return nil }
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        for rule in skipRules {
            let cell = rule.column < row.count ? row[rule.column] : empty
            switch rule.condition {
            case .empty:
                if TextTransforms.isBlank(cell) { return nil }
            case .equals:
                let text = String(decoding: cell, as: UTF8.self)
                if Self.skipReason(text, rule.condition, label: rule.label) != nil { return nil }
            }
        }
        scratch.reset(fields: plans.count)
        // The plans as unmanaged references, used in place: loading each plan from the array retained and
        // released it around every call, twice per cell.
        let evaluated = unmanagedPlans.withUnsafeBufferPointer { plans in
            constantValues.withUnsafeBufferPointer { constants in
                for index in plans.indices {
                    let value: ByteValue
                    if let constant = constants[index] {
                        value = scratch.store(constant)
                    } else {
                        let evaluated = plans[index]._withUnsafeGuaranteedRef { plan in
                            plan.rawBytes(row, &scratch).flatMap {
                                plan.evaluateBytes($0, row: row, scratch: &scratch)
                            }
                        }
                        guard let evaluated else { return false }
                        value = evaluated
                    }
                    scratch.setValue(value, at: index)
                }
                return true
            }
        }
        guard evaluated else { return nil }
        var verdict = ByteVerdict(email: nil, dealNumber: nil, key: nil, addsToOrder: false)
        let values = UnsafeBufferPointer(scratch.values)
        func text(_ position: Int?) -> UnsafeBufferPointer<UInt8>? {
            guard let position, case .text(let bytes) = values[position] else { return nil }
            return bytes
        }
        let accepted = kindRules.accepts(allowPhoneOnly: mapping.allowPhoneOnly, kind: mapping.kind) { position in
            guard let position, case .absent = values[position] else { return position != nil }
            return false
        }
        let email = text(emailPlan)
        verdict.dealNumber = text(dealNumberPlan)
        // Other kinds' keys are compared as written, trimmed; a user's is the normalised email (below).
        verdict.key = text(keyPlan).map(TextTransforms.trim)
        if let position = multipleOffersPlan, case .number(let bytes) = values[position] {
            verdict.addsToOrder = bytes.count == 1 && bytes[0] == UInt8(ascii: "1")
        }
        guard accepted else { return nil }
        if let email, wantsEmail || mapping.kind == .user {
            let trimmed = TextTransforms.trim(email)
            verdict.email =
                scratch.asciiCase(trimmed, from: 0x41...0x5A)
                ?? scratch.copy(String(decoding: trimmed, as: UTF8.self).lowercased())
        }
        if mapping.kind == .user { verdict.key = verdict.email }
        scratch.groups.withUnsafeBufferPointer { groups in
            PayloadBuilder.write(
                layout: layout, values: ByteRowValues(values: UnsafeBufferPointer(scratch.values), groups: groups),
                into: &json)
        }
        return verdict
    }

    /// `naturalKey` on the row's bytes: the normalised key, `.none` when the row has none, `.unknown` when
    /// only the `String` path can tell (a row with problems, a value the byte path leaves alone, an email
    /// outside ASCII). Evaluates the key's field alone, for the duplicate check's second pass.
    func naturalKeyBytes(_ row: CSVRawRecord, scratch: inout ByteScratch) -> ByteKey {
        guard let keyPlan else { return .none }
        guard row.decoded == nil, row.isUTF8 else { return .unknown }
        scratch.reset(fields: plans.count)
        let value = unmanagedPlans[keyPlan]._withUnsafeGuaranteedRef { plan in
            plan.rawBytes(row, &scratch).flatMap { plan.evaluateBytes($0, row: row, scratch: &scratch) }
        }
        switch value {
        case .text(let bytes)?:
            let trimmed = TextTransforms.trim(bytes)
            guard mapping.kind == .user else { return .key(trimmed) }
            return scratch.asciiCase(trimmed, from: 0x41...0x5A).map(ByteKey.key) ?? .unknown
        case .absent?, .number?, .groups?:
            // `naturalKey` takes only text.
            return .none
        case nil:
            return .unknown
        }
    }

    /// The payload of a row the byte path accepts, with its texts as strings (the run's payloads).
    func payloadBytes(_ row: CSVRawRecord, scratch: inout ByteScratch, json: inout JSONWriter) -> ImportPayload? {
        guard let verdict = mapBytes(row, scratch: &scratch, json: &json) else { return nil }
        func text(_ bytes: UnsafeBufferPointer<UInt8>?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
        return ImportPayload(
            row: row.row, line: row.line, kind: mapping.kind, params: json.bytes, email: text(verdict.email),
            dealNumber: text(verdict.dealNumber), naturalKey: text(verdict.key), addsToOrder: verdict.addsToOrder)
    }
}
