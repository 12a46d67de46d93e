// The column-mapping file: which CSV column becomes which GetCourse payload field. The README, section
// «Mapping files», documents the format.
import CSVReader
import Foundation

/// A loaded, checked mapping file. Build it with `Mapping.load(path:)`; pair it with a file's header through
/// `RowMapper`.
package struct Mapping: Sendable {
    /// The mapping file, for messages.
    var path: String
    /// The YAML it was parsed from: parsing it again gives a copy that shares no storage with this one.
    let source: String
    var kind: ImportKind
    /// `csv:` settings that override detection; nil leaves a setting to the reader.
    var delimiter: UInt8?
    var encoding: CSVEncoding?
    var hasHeader: Bool?
    /// Users: rows with a phone but no email are accepted (GetCourse then invents a technical email).
    var allowPhoneOnly: Bool
    var fields: [FieldSpec]
    var skipRules: [SkipRule]

    /// Reads and checks a mapping file; the error names the file, the YAML line and column, the key, and
    /// the nearest valid key when one was mistyped.
    package static func load(path: String) throws(MappingError) -> Mapping {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw MappingError(file: path, message: "cannot read the mapping file (\(error.localizedDescription))")
        }
        return try parse(yaml: text, path: path)
    }

    /// Parses mapping text; `path` only labels the errors.
    package static func parse(yaml: String, path: String) throws(MappingError) -> Mapping {
        try MappingParser(path: path).parse(yaml)
    }

    /// A copy that shares no array, dictionary or string storage with this one, for a thread of its own:
    /// threads sharing storage retain and release the same reference counts on every row.
    /// Only the per-row parts (fields and skip rules, which only the parser fills) come from a new parse;
    /// every setting is this mapping's own, so one a caller changed, or one added later, carries over.
    func unshared() -> Mapping {
        guard let parsed = try? Self.parse(yaml: source, path: path) else { return self }
        var copy = self
        copy.fields = parsed.fields
        copy.skipRules = parsed.skipRules
        return copy
    }

    /// The reader options for a file: the mapping's `csv:` settings win over `base` (command-line flags and
    /// detection). A mapping that forces an encoding still reads files that start with a UTF-8 BOM as UTF-8,
    /// because the rejects file (written as UTF-8 with a BOM for Excel) must feed back with the same mapping.
    func readerOptions(_ base: CSVReaderOptions) -> CSVReaderOptions {
        var options = base
        if let delimiter { options.delimiter = delimiter }
        if let encoding { options.encoding = encoding }
        if let hasHeader { options.hasHeader = hasHeader }
        return options
    }

    /// `readerOptions(_:)`, except that a UTF-8 byte-order mark at the start of `file` wins over the
    /// mapping's encoding.
    func readerOptions(_ base: CSVReaderOptions, file: String) -> CSVReaderOptions {
        var options = readerOptions(base)
        if encoding != nil && base.encoding == nil && Self.startsWithUTF8BOM(file) { options.encoding = .utf8 }
        return options
    }

    /// The payload field that identifies a row for duplicate checks: user email, deal number, user id.
    var naturalKeyField: String? {
        let path: String
        switch kind {
        case .user: path = "user.email"
        case .deal, .dealStatus: path = "deal.deal_number"
        case .userGroups: path = "user.id"
        }
        return fields.contains { $0.field.path == path } ? path : nil
    }

    /// Warnings about the mapping itself, shown by every dry run.
    var warnings: [String] {
        var warnings: [String] = []
        if kind == .deal && !fields.contains(where: { $0.field.path == "deal.deal_number" }) {
            warnings.append(
                "\(path): no deal.deal_number: these orders cannot be retried safely, because GetCourse creates a "
                    + "second order when a deal without a number is sent twice; rows whose answer is lost stay "
                    + "unknown until `gcimport verify` finds them in the account. Map an order-number column")
        }
        if kind == .deal, let offers = fields.first(where: { $0.field.path == "system.multiple_offers" }) {
            var sendsIt = true
            if case .constant(let value) = offers.source {
                sendsIt = (try? FieldValidator.finalise(value, as: .flag)) == .number("1")
            }
            if sendsIt {
                warnings.append(
                    "\(path): system.multiple_offers: a deal sent with it adds its position (and cost) to the order "
                        + "again each time it is sent, so rows whose answer never came are not resent on resume "
                        + "(check them with `gcimport verify`, or pass --resend-unknown)")
            }
        }
        if let refresh = refreshWarning { warnings.append(refresh) }
        if kind == .userGroups {
            warnings.append(
                "kind user_groups REPLACES each user's groups: GetCourse removes the user from every group not in "
                    + "the row's user.group_name list")
        }
        return warnings
    }

    /// Without `system.refresh_if_exists: 1` GetCourse leaves a user that already exists exactly as it was:
    /// the row's data and groups are not applied, and the answer is still a success.
    private var refreshWarning: String? {
        let userData = fields.contains { $0.field.section == .user && $0.field.path != "user.email" }
        guard kind == .user || (kind == .deal && userData) else { return nil }
        if let refresh = fields.first(where: { $0.field.path == "system.refresh_if_exists" }) {
            guard case .constant(let value) = refresh.source,
                (try? FieldValidator.finalise(value, as: .flag)) == .number("0")
            else { return nil }
        }
        let groups = fields.contains { $0.field.path == "user.group_name" }
        return "\(path): system.refresh_if_exists is 0: users that already exist in the account keep their data"
            + (groups ? " and are added to none of the row's groups" : "")
            + " (GetCourse answers ok and `report` counts them as left unchanged); set "
            + "`system.refresh_if_exists: {value: 1}` to update them"
    }

    private static func startsWithUTF8BOM(_ file: String) -> Bool {
        guard let handle = fopen(file, "rb") else { return false }
        defer { fclose(handle) }
        var bytes = [UInt8](repeating: 0, count: 3)
        return fread(&bytes, 1, 3, handle) == 3 && bytes == [0xEF, 0xBB, 0xBF]
    }
}
