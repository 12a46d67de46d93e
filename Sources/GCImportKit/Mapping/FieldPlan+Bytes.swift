// `FieldPlan.evaluate` on the cell's bytes. It gives up (nil) wherever the `String` pipeline would fail, so
// the row is mapped again that way and its errors read exactly as before; on success it gives the same value.
import CSVReader

extension FieldPlan {
    /// The cell (or constant) before any transform, as bytes; nil for a template (the `String` path joins
    /// and collapses those).
    func rawBytes(_ row: CSVRawRecord, _ scratch: inout ByteScratch) -> UnsafeBufferPointer<UInt8>? {
        switch source {
        case .column(let index): return index < row.count ? row[index] : UnsafeBufferPointer(start: nil, count: 0)
        case .constant(let value): return scratch.copy(value)
        case .template: return nil
        }
    }

    /// What `evaluate` returns for `raw`, or nil when it would throw (or a step has no byte version and its
    /// `String` form fails).
    func evaluateBytes(_ raw: UnsafeBufferPointer<UInt8>, row: CSVRawRecord, scratch: inout ByteScratch)
        -> ByteValue?
    {
        var value = raw
        if TextTransforms.isBlank(value) {
            guard let fallback = defaultValue else { return required ? nil : .absent }
            value = scratch.copy(fallback)
        }
        for step in byteSteps {
            guard let next = apply(step, to: value, &scratch) else { return nil }
            value = next
        }
        if isGroups { return groupBytes(value, row: row, scratch: &scratch) }
        // `mapTable`, not `valueMap`: comparing the map with nil copied it, retaining all it holds.
        if mapTable != nil {
            guard let mapped = mapBytes(value, &scratch) else { return nil }
            value = mapped
        }
        if TextTransforms.isBlank(value) { return required ? nil : .absent }
        if skipsTypeCheck { return .text(value) }
        return FieldValidator.finaliseBytes(value, as: type, &scratch)
    }

    /// `groups(_:)` and the group date, on bytes.
    private func groupBytes(_ value: UnsafeBufferPointer<UInt8>, row: CSVRawRecord, scratch: inout ByteScratch)
        -> ByteValue?
    {
        // Separators outside ASCII are cut by the `String` path.
        guard let separators = asciiSeparators else { return nil }
        let first = scratch.groups.count
        if separators.isEmpty || !value.contains(where: separators.contains) {
            if separators.isEmpty || !value.isEmpty {
                scratch.groups.append(GroupBytes(name: TextTransforms.trim(value), date: nil))
            }
        } else {
            var start = 0
            for index in 0...value.count where index == value.count || separators.contains(value[index]) {
                if index > start {
                    let piece = TextTransforms.trim(UnsafeBufferPointer(rebasing: value[start..<index]))
                    scratch.groups.append(GroupBytes(name: piece, date: nil))
                }
                start = index + 1
            }
        }
        if mapTable != nil {
            for index in first..<scratch.groups.count {
                guard let mapped = mapBytes(scratch.groups[index].name, &scratch) else { return nil }
                scratch.groups[index].name = mapped
            }
        }
        var kept = first
        for index in first..<scratch.groups.count where !TextTransforms.isBlank(scratch.groups[index].name) {
            scratch.groups[kept] = scratch.groups[index]
            kept += 1
        }
        scratch.groups.removeSubrange(kept...)
        if kept == first { return required ? nil : .absent }
        if let plan = groupDate {
            guard let rawDate = plan.rawBytes(row, &scratch),
                let date = plan.evaluateBytes(rawDate, row: row, scratch: &scratch)
            else { return nil }
            if case .text(let text) = date {
                for index in first..<kept { scratch.groups[index].date = text }
            }
        }
        return .groups(first..<kept)
    }
}

/// One transform as the byte path runs it (`FieldPlan.byteSteps`): a plain value, a date by its index
/// in `FieldPlan.dateSteps`.
enum ByteStep: Sendable {
    case trim, lower, upper, collapseSpaces, phone, email, money
    case date(Int)
}

extension FieldPlan {
    /// `Transform.apply` on bytes; nil when `apply` would throw.
    private func apply(_ step: ByteStep, to value: UnsafeBufferPointer<UInt8>, _ scratch: inout ByteScratch)
        -> UnsafeBufferPointer<UInt8>?
    {
        switch step {
        case .trim:
            return TextTransforms.trim(value)
        case .lower:
            return scratch.asciiCase(value, from: 0x41...0x5A)
                ?? scratch.copy(String(decoding: value, as: UTF8.self).lowercased())
        case .upper:
            return scratch.asciiCase(value, from: 0x61...0x7A)
                ?? scratch.copy(String(decoding: value, as: UTF8.self).uppercased())
        case .collapseSpaces:
            guard !value.isEmpty else { return value }
            let target = scratch.allocate(value.count)
            return UnsafeBufferPointer(start: target, count: TextTransforms.collapseSpaces(value, into: target))
        case .phone:
            let target = scratch.allocate(PhoneTransform.maxLength)
            guard let count = try? PhoneTransform.normalise(value, into: target) else { return nil }
            return UnsafeBufferPointer(start: target, count: count)
        case .email:
            let trimmed = TextTransforms.trim(value)
            let lowered =
                scratch.asciiCase(trimmed, from: 0x41...0x5A)
                ?? scratch.copy(String(decoding: trimmed, as: UTF8.self).lowercased())
            return EmailTransform.syntaxProblem(lowered) == nil ? lowered : nil
        case .money:
            let digits = scratch.allocate(value.count + 1)
            let target = scratch.allocate(value.count + 2)
            guard let count = try? MoneyTransform.normalise(value, digits: digits, into: target) else { return nil }
            return UnsafeBufferPointer(start: target, count: count)
        case .date(let index):
            // Read in place: a copy of the transform would retain its formats.
            guard let date = dateSteps.withUnsafeBufferPointer({ $0[index].date(of: value) }) else { return nil }
            let target = scratch.allocate(19)
            date.writeAPI(to: UnsafeMutableBufferPointer(start: target, count: 19))
            return UnsafeBufferPointer(start: target, count: 19)
        }
    }
}

extension FieldPlan {
    /// The value map's `apply` on bytes; nil when it would throw. A value written exactly as a key is found
    /// in `mapTable` and used from there; anything else goes through the `String` look-ups.
    fileprivate func mapBytes(_ value: UnsafeBufferPointer<UInt8>, _ scratch: inout ByteScratch)
        -> UnsafeBufferPointer<UInt8>?
    {
        if let hit = mapTable?.value(for: value) { return hit }
        guard let mapped = try? valueMap?.apply(String(decoding: value, as: UTF8.self)) else { return nil }
        return scratch.copy(mapped)
    }
}

extension FieldValidator {
    /// `finalise` on bytes; nil when `finalise` would throw.
    static func finaliseBytes(_ value: UnsafeBufferPointer<UInt8>, as type: FieldType, _ scratch: inout ByteScratch)
        -> ByteValue?
    {
        switch type {
        case .text, .phone, .groups:
            return .text(value)
        case .email:
            return EmailTransform.syntaxProblem(TextTransforms.trim(value)) == nil ? .text(value) : nil
        case .flag:
            if let flag = packedFlag(TextTransforms.trim(value)) { return flag.map { .number(scratch.copy($0)) } }
        case .money:
            let positive = value.contains { $0 >= 0x31 && $0 <= 0x39 } && value.first != UInt8(ascii: "-")
            return isDecimal(value) && positive ? .text(value) : nil
        case .dateTime:
            return isAPIDate(value) ? .text(value) : nil
        case .date:
            return isAPIDate(value) ? .text(UnsafeBufferPointer(rebasing: value[..<10])) : nil
        case .identifier:
            return !value.isEmpty && value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? .text(value) : nil
        case .closed(let set):
            if let known = set.containsShortASCII(value) { return known ? .text(value) : nil }
        case .positiveInteger:
            break
        }
        guard let finished = try? finalise(String(decoding: value, as: UTF8.self), as: type) else { return nil }
        return scratch.store(finished)
    }
}
