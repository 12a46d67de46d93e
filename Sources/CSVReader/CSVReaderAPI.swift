// The public surface of the reader, fixed first so the mapping and run stages can be written against it.

/// The text encodings the reader decodes to Swift strings.
public enum CSVEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case windows1251 = "windows-1251"
}

/// How to read a file. `nil` means "detect it and say what was chosen".
public struct CSVReaderOptions: Sendable, Equatable {
    /// One of `,` `;` TAB `|`; nil detects it from the header line.
    public var delimiter: UInt8?
    /// nil: UTF-8 unless most lines with non-ASCII text in the first 4 MiB are not UTF-8; then
    /// Windows-1251 (see `CSVEncodingEvidence`).
    public var encoding: CSVEncoding?
    /// When false, the first line is data and columns are named by their 1-based index.
    public var hasHeader: Bool
    /// A field longer than this is reported and cut off, so a broken file cannot eat memory.
    public var maxFieldBytes: Int
    /// Bytes handed to `csv_parse` at a time.
    public var chunkSize: Int

    public init(
        delimiter: UInt8? = nil,
        encoding: CSVEncoding? = nil,
        hasHeader: Bool = true,
        maxFieldBytes: Int = 1 << 20,
        chunkSize: Int = 64 << 10
    ) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.hasHeader = hasHeader
        self.maxFieldBytes = maxFieldBytes
        self.chunkSize = chunkSize
    }
}

/// Something wrong with the file, tied to the physical line where it was found.
public struct CSVProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case raggedRow = "ragged_row"
        case strayQuote = "stray_quote"
        case unterminatedQuote = "unterminated_quote"
        case fieldTooLarge = "field_too_large"
        case nulByte = "nul_byte"
        case invalidUTF8 = "invalid_utf8"
        case duplicateHeader = "duplicate_header"
        case blankHeader = "blank_header"
        case emptyFile = "empty_file"
    }

    /// 1-based physical line.
    public var line: Int
    /// 1-based field index, where one field is at fault.
    public var column: Int?
    /// The data-row number, when the problem belongs to one data row.
    public var row: Int?
    public var kind: Kind
    public var message: String

    public init(line: Int, column: Int? = nil, row: Int? = nil, kind: Kind, message: String) {
        self.line = line
        self.column = column
        self.row = row
        self.kind = kind
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// One data row. A row with problems is still yielded (with `problems` filled) so no data row is lost:
/// later stages mark it invalid instead of silently dropping it.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based data-row number; the header is not counted, blank lines are not rows.
    public var row: Int
    /// 1-based physical line where the record starts (blank lines and embedded newlines counted).
    public var line: Int
    public var fields: [String]
    public var problems: [CSVProblem]
    /// The original bytes of fields that are not valid text in the file's encoding, by 0-based index
    /// (their `fields` entry shows U+FFFD), so a rejects file can hand them back unchanged.
    public var rawFields: [Int: [UInt8]]

    public init(
        row: Int, line: Int, fields: [String], problems: [CSVProblem] = [], rawFields: [Int: [UInt8]] = [:]
    ) {
        self.row = row
        self.line = line
        self.fields = fields
        self.problems = problems
        self.rawFields = rawFields
    }
}

/// The file cannot be read at all (missing, unreadable, an I/O error): `inspect` exits 65 on it.
public struct CSVReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
