import Foundation

/// The one way reports are written as JSON (`--json` of `report`, `check`, `verify`): Encodable values
/// through one encoder, keys sorted, Cyrillic as UTF-8, one object and a newline.
package enum ReportJSON {
    /// `value` as one line of JSON and a newline.
    package static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
