/// The users or orders one call has looked up or created, by id, with the values they were loaded with.
///
/// The import logic reads and writes them as plain values (`state.users[id].isPartner = true`); at the
/// end of the call only those that differ from what was loaded are written back.
struct RecordCache<Record: Equatable> {
    private(set) var values: [Int: Record] = [:]
    /// As loaded from the database; absent for records created in this call.
    private var originals: [Int: Record] = [:]

    /// A record a lookup of this call returned: its id comes from ``load(_:id:)`` or ``insert(_:id:)``.
    subscript(id: Int) -> Record {
        get {
            guard let value = values[id] else { preconditionFailure("record \(id) was not looked up in this call") }
            return value
        }
        set { values[id] = newValue }
    }

    /// Keeps a record read from the database, unless this call already holds it (perhaps changed).
    mutating func load(_ record: Record, id: Int) {
        guard values[id] == nil else { return }
        values[id] = record
        originals[id] = record
    }

    mutating func insert(_ record: Record, id: Int) {
        values[id] = record
    }

    func first(where matches: (Record) -> Bool) -> Int? {
        values.first { matches($0.value) }?.key
    }

    /// Records created or changed in this call, in id order, each with its value as loaded (nil when new).
    var changes: [(value: Record, original: Record?)] {
        values.sorted { $0.key < $1.key }.compactMap { id, value in
            let original = originals[id]
            return value == original ? nil : (value, original)
        }
    }
}
