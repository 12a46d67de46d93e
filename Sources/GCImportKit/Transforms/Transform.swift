// A field's pipeline: the cell text goes through its transforms in the order the mapping lists them.

/// Why a transform could not turn a cell into a usable value; becomes a `RowError` with line and column.
struct TransformFailure: Error, Sendable, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// One step of a field's pipeline, as named in the mapping (`trim`, `phone`, `date: [...]`…).
enum Transform: Sendable {
    case trim
    case lower
    case upper
    case collapseSpaces
    case phone
    case email
    case money
    case date(DateTransform)

    /// Names accepted in a mapping's `transforms:` list, for suggestions when one is mistyped.
    static let names = ["trim", "lower", "upper", "collapse_spaces", "phone", "email", "money", "date", "split"]

    /// The transform named `name` that takes no argument, or nil.
    static func simple(_ name: String) -> Transform? {
        switch name {
        case "trim": .trim
        case "lower": .lower
        case "upper": .upper
        case "collapse_spaces", "collapse_whitespace", "collapse": .collapseSpaces
        case "phone": .phone
        case "email": .email
        case "money": .money
        default: nil
        }
    }

    func apply(_ value: String) throws(TransformFailure) -> String {
        switch self {
        case .trim: return TextTransforms.trim(value)
        case .lower: return TextTransforms.lower(value)
        case .upper: return TextTransforms.upper(value)
        case .collapseSpaces: return TextTransforms.collapseSpaces(value)
        case .phone: return try PhoneTransform.normalise(value)
        case .email: return try EmailTransform.normalise(value)
        case .money: return try MoneyTransform.normalise(value)
        case .date(let transform): return try transform.apply(value)
        }
    }
}

extension String {
    /// Runs `body` over the string's UTF-8 bytes without copying when the storage is already contiguous
    /// (native Swift strings are); the per-row transforms are byte loops over this.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(TransformFailure) -> R) throws(TransformFailure)
        -> R
    {
        var copy = self
        // `withUTF8` rethrows untyped errors; carrying the typed failure out in a Result keeps it typed.
        let result = copy.withUTF8 { buffer in Result { () throws(TransformFailure) -> R in try body(buffer) } }
        return try result.get()
    }
}
