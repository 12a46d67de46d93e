// A mapping that cannot be used (bad YAML, unknown key, a column the file lacks) stops the command with
// exit 65 before any row is read, and says where and how to fix it.

/// An unusable mapping file, or a mapping that does not fit the CSV file it is used with.
package struct MappingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The mapping file.
    var file: String
    /// 1-based line and column in the mapping file, when the problem has a place there.
    var line: Int?
    var column: Int?
    /// The mapping key at fault, e.g. `fields.user.email.column`.
    var key: String?
    /// What is wrong and what to do about it.
    var message: String
    /// Further problems found in the same pass (every field that cannot be parsed, every column the file
    /// lacks), so a user fixes them all before the next try.
    var also: [MappingError] = []

    init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    package var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return "\(place): " + (key.map { "\($0): " } ?? "") + message
            + also.map { "\n  also " + $0.description }.joined()
    }
}
