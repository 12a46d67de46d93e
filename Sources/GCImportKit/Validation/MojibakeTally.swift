// Values garbled by a wrong decoding are valid text to every other check: the dry run counts them by kind
// and warns once per kind with the first example, whatever encoding the file was read with.
import CSVReader

/// Garbled values seen so far, by kind, in file order.
struct MojibakeTally {
    /// One garbled value: where it is, and how it reads decoded right.
    struct Finding: Sendable {
        var kind: Mojibake.Kind
        var line: Int
        /// 0-based column.
        var column: Int
        var value: String
        var repaired: String

        /// The first garbled value of `record`, not counting fields the reader already reported as not text.
        static func first(in record: CSVRecord) -> Finding? {
            // The raw fields are almost always none: no hashing of every index into an empty dictionary.
            let raw = record.rawFields
            for (index, field) in record.fields.enumerated() where raw.isEmpty || raw[index] == nil {
                if let suspect = Mojibake.suspect(field) {
                    return Finding(
                        kind: suspect.kind, line: record.line, column: index, value: field, repaired: suspect.repaired)
                }
            }
            return nil
        }
    }

    private var byKind: [Mojibake.Kind: (count: Int, first: Finding)] = [:]
    private var order: [Mojibake.Kind] = []

    mutating func add(_ finding: Finding) {
        if let seen = byKind[finding.kind] {
            byKind[finding.kind] = (seen.count + 1, seen.first)
        } else {
            byKind[finding.kind] = (1, finding)
            order.append(finding.kind)
        }
    }

    /// One warning per kind: how many rows, the first example and what to do.
    func warnings(header: [String], input: DryRunReport.Input) -> [String] {
        order.compactMap { kind in
            guard let (count, first) = byKind[kind] else { return nil }
            let name = first.column < header.count && !header[first.column].isEmpty ? " «\(header[first.column])»" : ""
            return "\(count) row(s) hold values that look like \(kind.explanation), first at line \(first.line), "
                + "column \(first.column + 1)\(name): «\(Self.clip(first.value))» reads «\(Self.clip(first.repaired))»; "
                + Self.advice(kind, input: input)
        }
    }

    private static func advice(_ kind: Mojibake.Kind, input: DryRunReport.Input) -> String {
        let asIs = "they would be imported garbled"
        switch kind {
        case .utf8ReadAsWindows1251 where input.encoding == .windows1251:
            let how = input.encodingWasDetected ? "detected" : "as asked"
            return "the file was read as Windows-1251 (\(how)); if it is UTF-8, use --encoding utf-8 (or "
                + "`encoding: utf-8` under `csv:` in the mapping), otherwise \(asIs)"
        case .utf8ReadAsWindows1251, .utf8ReadAsLatin1, .windows1251ReadAsLatin1:
            return "the file itself holds the garbled text (a tool before gcimport decoded it wrongly); fix these "
                + "values in the source or export them again, otherwise \(asIs)"
        case .lostCharacters:
            return "the lost characters cannot be recovered from this file; export it again from the original"
        }
    }

    private static func clip(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
