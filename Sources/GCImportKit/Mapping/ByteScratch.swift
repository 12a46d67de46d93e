// Scratch memory of the byte-level mapping: the values of one row as byte ranges, and the bytes the
// transforms write, reused row after row so a valid row allocates nothing.

/// One field's value in the byte-level mapping, as bytes of the row or of the scratch's arena.
enum ByteValue {
    /// An empty optional field, left out of the payload.
    case absent
    case text(UnsafeBufferPointer<UInt8>)
    case number(UnsafeBufferPointer<UInt8>)
    /// Entries of `ByteScratch.groups`.
    case groups(Range<Int>)
}

/// One entry of `user.group_name` as bytes.
struct GroupBytes {
    var name: UnsafeBufferPointer<UInt8>
    var date: UnsafeBufferPointer<UInt8>?
}

/// The per-row memory of `RowMapper.mapBytes`, owned by one thread. The arena hands out bytes from chunks
/// that never move, so a value stays valid until the next `reset`.
struct ByteScratch: ~Copyable {
    private var chunks: [(base: UnsafeMutablePointer<UInt8>, size: Int)] = []
    private var chunk = 0
    private var used = 0
    /// The row's values, by plan index: raw memory, as an array paid a uniqueness check on every store.
    private(set) var values = UnsafeMutableBufferPointer<ByteValue>(start: nil, count: 0)
    var groups: [GroupBytes] = []

    init() {}

    deinit {
        for chunk in chunks { chunk.base.deallocate() }
        values.deallocate()
    }

    /// Forgets the last row, keeping the memory.
    mutating func reset(fields: Int) {
        chunk = 0
        used = 0
        if values.count != fields {
            values.deallocate()
            values = .allocate(capacity: fields)
            values.initialize(repeating: .absent)
        }
        groups.removeAll(keepingCapacity: true)
    }

    /// Sets the value of plan `index`.
    mutating func setValue(_ value: ByteValue, at index: Int) { values[index] = value }

    /// Room for `count` bytes, valid until the next `reset`.
    mutating func allocate(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        while chunk < chunks.count {
            if used + count <= chunks[chunk].size {
                defer { used += count }
                return chunks[chunk].base + used
            }
            chunk += 1
            used = 0
        }
        let size = max(count, 16 << 10)
        chunks.append((.allocate(capacity: size), size))
        used = count
        return chunks[chunk].base
    }

    mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return UnsafeBufferPointer(start: nil, count: 0) }
        let target = allocate(bytes.count)
        target.update(from: source, count: bytes.count)
        return UnsafeBufferPointer(start: target, count: bytes.count)
    }

    mutating func copy(_ text: String) -> UnsafeBufferPointer<UInt8> {
        var text = text
        return text.withUTF8 { copy($0) }
    }

    mutating func copy(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        bytes.withUnsafeBufferPointer { copy($0) }
    }

    /// A value the `String` mapping made (a constant, or a step without a byte version), as bytes.
    mutating func store(_ value: FieldValue?) -> ByteValue {
        switch value {
        case nil: return .absent
        case .string(let text): return .text(copy(text))
        case .number(let text): return .number(copy(text))
        case .groups(let entries):
            let first = groups.count
            for entry in entries {
                let name = copy(entry.name)
                groups.append(GroupBytes(name: name, date: entry.date.map { copy($0) }))
            }
            return .groups(first..<groups.count)
        }
    }

    /// `value` with its ASCII letters in `range` flipped in case, or nil when it is not all ASCII (Unicode
    /// case mapping is left to the `String` transforms). `range` is A–Z or a–z. Eight bytes at a time.
    mutating func asciiCase(_ value: UnsafeBufferPointer<UInt8>, from range: ClosedRange<UInt8>)
        -> UnsafeBufferPointer<UInt8>?
    {
        guard let source = value.baseAddress else { return value }
        let count = value.count
        let low = UInt64(0x80 - range.lowerBound) &* Self.ones
        let high = UInt64(0x7F - range.upperBound) &* Self.ones
        // For bytes below 0x80, the high bit of each byte in `range` (no carry between bytes: the sums stay
        // below 0x100); shifted to 0x20, the bit that flips the case.
        func letters(_ word: UInt64) -> UInt64 { (word &+ low) & ~(word &+ high) & Self.highs }
        var flips = false
        var index = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
            if word & Self.highs != 0 { return nil }
            if letters(word) != 0 { flips = true }
            index += 8
        }
        for position in index..<count {
            if source[position] >= 0x80 { return nil }
            if range.contains(source[position]) { flips = true }
        }
        guard flips else { return value }
        let target = allocate(count)
        index = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
            UnsafeMutableRawPointer(target + index).storeBytes(of: word ^ (letters(word) >> 2), as: UInt64.self)
            index += 8
        }
        for position in index..<count {
            let byte = source[position]
            target[position] = range.contains(byte) ? byte ^ 0x20 : byte
        }
        return UnsafeBufferPointer(start: target, count: count)
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
}

/// A row's byte values as the payload builder reads them.
struct ByteRowValues: PayloadValues {
    let values: UnsafeBufferPointer<ByteValue>
    let groups: UnsafeBufferPointer<GroupBytes>

    var count: Int { values.count }

    func isPresent(_ index: Int) -> Bool {
        if case .absent = values[index] { return false }
        return true
    }

    func write(_ index: Int, to writer: inout JSONWriter) {
        switch values[index] {
        case .absent: break
        case .text(let bytes): writer.string(bytes)
        case .number(let bytes): writer.number(bytes)
        case .groups(let range): writer.groupList(groups[range], name: \.name, date: \.date)
        }
    }
}
