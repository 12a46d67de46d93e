/// An array that remembers which positions were written since the changes were last taken.
///
/// The state's users, deals and groups live in these so the journal can record exactly the objects a call
/// touched, without every import path having to report them: any write through the subscript or `append`
/// marks its position. Positions are stable (nothing is ever removed except by a reset, which replaces the
/// whole state), so a position is a sound key for a journal record.
struct TrackedList<Element: Codable & Sendable>: RandomAccessCollection, Codable, Sendable {
    private(set) var elements: [Element]
    /// Positions written since the last ``takeChanges()``.
    private var changed: Set<Int> = []

    init(_ elements: [Element] = []) {
        self.elements = elements
    }

    var startIndex: Int { 0 }
    var endIndex: Int { elements.count }

    subscript(position: Int) -> Element {
        get { elements[position] }
        set {
            elements[position] = newValue
            changed.insert(position)
        }
    }

    mutating func append(_ element: Element) {
        elements.append(element)
        changed.insert(elements.count - 1)
    }

    /// The positions written since the last call, in order, with their values now; clears the record.
    mutating func takeChanges() -> [Placed<Element>] {
        guard !changed.isEmpty else { return [] }
        defer { changed.removeAll(keepingCapacity: true) }
        return changed.sorted().map { Placed(at: $0, value: elements[$0]) }
    }

    /// Writes a journalled value back. `at` may be the next position (the object was created) or an
    /// existing one (it changed); anything beyond means the journal does not fit the snapshot.
    mutating func restore(_ placed: Placed<Element>) -> Bool {
        if placed.at == elements.count {
            elements.append(placed.value)
        } else if placed.at >= 0, placed.at < elements.count {
            elements[placed.at] = placed.value
        } else {
            return false
        }
        return true
    }

    // Coded as the plain array, so the state file keeps the shape it had before the journal existed.
    init(from decoder: any Decoder) throws {
        elements = try decoder.singleValueContainer().decode([Element].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(elements)
    }
}

/// One object of a journal record: its position in its list and its whole value after the change.
struct Placed<Element: Codable & Sendable>: Codable, Sendable {
    var at: Int
    var value: Element
}
