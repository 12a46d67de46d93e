// The surface of the reader the later stages use, fixed first so the mapping and run stages could be
// written against it.

/// The text encodings the reader decodes to Swift strings.
package enum CSVEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case windows1251 = "windows-1251"
}

/// How to read a file. `nil` means "detect it and say what was chosen".
package struct CSVReaderOptions: Sendable, Equatable {
    /// One of `,` `;` TAB `|`; nil detects it from the header line.
    package var delimiter: UInt8?
    /// nil: UTF-8 unless most lines with non-ASCII text in the first 4 MiB are not UTF-8; then
    /// Windows-1251 (see `CSVEncodingEvidence`).
    package var encoding: CSVEncoding?
    /// When false, the first line is data and columns are named by their 1-based index.
    package var hasHeader: Bool
    /// A field longer than this is reported and cut off, so a broken file cannot eat memory.
    var maxFieldBytes: Int
    /// Bytes handed to `csv_parse` at a time.
    package var chunkSize: Int

    package init(
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
package struct CSVProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    package enum Kind: String, Sendable, Codable, CaseIterable {
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
    package var line: Int
    /// 1-based field index, where one field is at fault.
    package var column: Int?
    /// The data-row number, when the problem belongs to one data row.
    package var row: Int?
    package var kind: Kind
    package var message: String

    package init(line: Int, column: Int? = nil, row: Int? = nil, kind: Kind, message: String) {
        self.line = line
        self.column = column
        self.row = row
        self.kind = kind
        self.message = message
    }

    package var description: String { "line \(line): \(message)" }
}

/// One data row. A row with problems is still yielded (with `problems` filled) so no data row is lost:
/// later stages mark it invalid instead of silently dropping it.
package struct CSVRecord: Sendable, Equatable {
    /// 1-based data-row number; the header is not counted, blank lines are not rows.
    package var row: Int
    /// 1-based physical line where the record starts (blank lines and embedded newlines counted).
    package var line: Int
    package var fields: [String]
    package var problems: [CSVProblem]
    /// The original bytes of fields that are not valid text in the file's encoding, by 0-based index
    /// (their `fields` entry shows U+FFFD), so a rejects file can hand them back unchanged.
    package var rawFields: [Int: [UInt8]]

    package init(
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
package struct CSVReadError: Error, Sendable, Equatable, CustomStringConvertible {
    var path: String
    package var message: String

    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    package var description: String { "\(path): \(message)" }
}
