/// The four delimiters found in real exports, and the one way they are parsed from what people type and
/// named back to them (the reader, the dry run, `inspect`, the mapping and `--delimiter` all go through it).
package enum CSVDelimiter: UInt8, CaseIterable, Sendable {
    // In the order that wins a detection tie: `;` (Russian Excel), `,`, TAB, `|`.
    case semicolon = 0x3B
    case comma = 0x2C
    case tab = 0x09
    case pipe = 0x7C

    /// `;` `,` `|` `tab`, also `\t`, a TAB character, or the names semicolon, comma, pipe.
    package init?(name: String) {
        switch name.lowercased() {
        case ";", "semicolon": self = .semicolon
        case ",", "comma": self = .comma
        case "|", "pipe": self = .pipe
        case "tab", "\\t", "\t": self = .tab
        default: return nil
        }
    }

    /// How a mapping's `csv: delimiter:` writes it: `;` or `tab`.
    package var mappingName: String { self == .tab ? "tab" : String(UnicodeScalar(rawValue)) }

    /// A delimiter byte as a column of text shows it: `;` or `TAB`.
    package static func display(_ byte: UInt8) -> String {
        byte == CSVDelimiter.tab.rawValue ? "TAB" : String(UnicodeScalar(byte))
    }

    /// A delimiter byte as a sentence quotes it: `';'`, `TAB`, or `byte 7` for one no export uses.
    package static func quoted(_ byte: UInt8) -> String {
        switch byte {
        case CSVDelimiter.tab.rawValue: "TAB"
        case 0x20...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: "byte \(byte)"
        }
    }
}
