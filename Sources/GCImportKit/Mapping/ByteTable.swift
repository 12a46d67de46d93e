// A value map's keys and values as bytes, for the byte-level mapping: its look-ups retain nothing. Reading a
// `ValueMap` out of a field plan copied it (a retain and release of each dictionary, array and string it
// holds), and its entries were arrays and strings retained as they were compared.

/// Pairs of byte strings in memory of their own, read-only once made. Its owner frees it (`deallocate`)
/// when it is done with it; a value it returns is valid until then.
struct ByteTable: @unchecked Sendable {
    private struct Entry {
        var key: Range<Int>
        var value: Range<Int>
    }

    private let bytes: UnsafeMutablePointer<UInt8>
    private let entries: UnsafeMutableBufferPointer<Entry>

    /// The pairs in look-up order: the first whose key matches wins.
    init(_ pairs: [(key: [UInt8], value: [UInt8])]) {
        let total = pairs.reduce(0) { $0 + $1.key.count + $1.value.count }
        bytes = .allocate(capacity: max(total, 1))
        entries = .allocate(capacity: pairs.count)
        var used = 0
        for (index, pair) in pairs.enumerated() {
            (bytes + used).initialize(from: pair.key, count: pair.key.count)
            (bytes + used + pair.key.count).initialize(from: pair.value, count: pair.value.count)
            let valueStart = used + pair.key.count
            entries[index] = Entry(key: used..<valueStart, value: valueStart..<(valueStart + pair.value.count))
            used = valueStart + pair.value.count
        }
    }

    func deallocate() {
        bytes.deallocate()
        entries.deallocate()
    }

    /// The value of the first key with exactly the bytes of `key`.
    func value(for key: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        for entry in entries where entry.key.count == key.count {
            let candidate = UnsafeBufferPointer(start: bytes + entry.key.lowerBound, count: entry.key.count)
            if candidate.elementsEqual(key) {
                return UnsafeBufferPointer(start: bytes + entry.value.lowerBound, count: entry.value.count)
            }
        }
        return nil
    }
}
