// `gcimport mapping init FILE`: a starter mapping from the file's header and first rows. Recognised headers
// become fields with sensible transforms; status-like columns get a `map:` pre-filled from the values seen;
// everything else is listed as commented-out additional fields.
public import CSVReader
import Foundation

/// Writes starter mapping YAML.
public enum StarterMapping {
    /// Rows sampled for date formats and status values.
    static let sampleRows = 5_000

    /// Reads `file`'s header and first rows and returns the mapping text and the kind chosen.
    public static func generate(file: String, kind: ImportKind?, options: CSVReaderOptions = .init()) throws
        -> (yaml: String, kind: ImportKind)
    {
        let reader = try CSVFileReader(path: file, options: options)
        var samples: [[String]] = []
        while samples.count < sampleRows, let record = try reader.next() {
            if record.problems.isEmpty { samples.append(record.fields) }
        }
        let csv = CSVInfo(delimiter: reader.delimiter, encoding: reader.encoding, hasBOM: reader.hasBOM)
        return generate(file: file, header: reader.header, samples: samples, kind: kind, csv: csv)
    }

    /// How the file was read, written into the mapping's `csv:` section so later runs need no detection.
    public struct CSVInfo: Sendable {
        public var delimiter: UInt8
        public var encoding: CSVEncoding
        public var hasBOM: Bool

        public init(delimiter: UInt8, encoding: CSVEncoding, hasBOM: Bool) {
            self.delimiter = delimiter
            self.encoding = encoding
            self.hasBOM = hasBOM
        }
    }

    /// The pure part: header and sample rows in, YAML out.
    public static func generate(file: String, header: [String], samples: [[String]], kind: ImportKind?, csv: CSVInfo)
        -> (yaml: String, kind: ImportKind)
    {
        let guesses = header.map(HeaderRecognizer.guess)
        let chosen =
            kind ?? (guesses.contains { $0?.dealOnly == true && $0?.path != "deal.deal_status" } ? .deal : .user)
        var out: [String] = [
            "# Starter mapping for \(file), written by `gcimport mapping init`.",
            "# Review it (the README, section «Mapping files», lists every key), then check every row with:",
            "#   gcimport validate \(file) --mapping THIS_FILE",
            "kind: \(chosen.rawValue)",
            "csv:",
            "  delimiter: \(quote(csv.delimiter == 0x09 ? "tab" : String(UnicodeScalar(csv.delimiter))))",
            "  encoding: \(csv.encoding.rawValue)",
            "  header: true",
            "fields:",
        ]
        var used: Set<String> = []
        var leftOver: [(Int, String)] = []
        var groupDateColumn: Int?
        for (index, guess) in guesses.enumerated() {
            // user_groups takes only the user id and the group list; user.id belongs to no other kind.
            let fits =
                chosen == .userGroups
                ? ["user.id", "user.group_name"].contains(guess?.path ?? "")
                : guess?.path != "user.id" && (guess?.dealOnly != true || chosen == .deal)
            guard let guess, !used.contains(guess.path), fits else {
                leftOver.append((index, header[index]))
                continue
            }
            if guess.path == "user.group_name.group_date" {
                groupDateColumn = index
                continue
            }
            used.insert(guess.path)
            let values = samples.lazy.compactMap { $0.indices.contains(index) ? $0[index] : nil }
            out += field(guess, column: header[index], values: Array(values.prefix(sampleRows)))
            if guess.path == "user.group_name", chosen != .userGroups,
                let dateIndex = groupDateColumn ?? laterDateColumn(guesses, after: index)
            {
                out += [
                    "    # The date each group was joined; remove if the groups need no date.",
                    "    group_date:", "      column: \(quote(header[dateIndex]))",
                ]
                out += dateTransforms(
                    Array(samples.lazy.compactMap { $0.indices.contains(dateIndex) ? $0[dateIndex] : nil }),
                    indent: "      ")
                groupDateColumn = dateIndex
            }
        }
        if chosen == .user {
            out.append("  # Update users that already exist (1) or leave them untouched (0):")
            out.append("  system.refresh_if_exists: {value: 0}")
        }
        if chosen == .deal && !used.contains("deal.deal_number") {
            out.append(
                "  # No order-number column found: without deal.deal_number a re-sent row creates a second order.")
        }
        if chosen == .deal && used.isDisjoint(with: ["deal.offer_code", "deal.product_title", "deal.offer_id"]) {
            out.append("  # REQUIRED: what was bought, from a column or as one value for every row, e.g.")
            out.append("  # deal.product_title: {value: \"Курс\"}")
        }
        if chosen == .userGroups {
            if !used.contains("user.id") {
                out.append("  # REQUIRED: the column holding GetCourse user ids, e.g.")
                out.append("  # user.id: {column: \"ID\", transforms: [trim]}")
            }
            out.append("  # Each row REPLACES the user's groups: groups not listed are taken away.")
        }
        let suggestions = leftOver.filter { $0.0 != groupDateColumn }
        if !suggestions.isEmpty && chosen != .userGroups {
            out.append("  # Columns not recognised; uncomment to send them as additional fields")
            out.append("  # (the field must exist in GetCourse under the same name):")
            let section = chosen == .deal ? "deal" : "user"
            for (_, name) in suggestions {
                out.append("  # \(quote("\(section).addfields.\(name)")): \(quote(name))")
            }
        }
        return (out.joined(separator: "\n") + "\n", chosen)
    }

    private static func field(_ guess: HeaderGuess, column: String, values: [String]) -> [String] {
        var lines = ["  \(guess.path):", "    column: \(quote(column))"]
        if guess.transforms == ["date"] {
            lines += dateTransforms(values, indent: "    ")
        } else {
            lines.append("    transforms: [\(guess.transforms.joined(separator: ", "))]")
        }
        if let split = guess.split { lines.append("    split: \(quote(split))") }
        if guess.path == "user.email" { lines.append("    required: true") }
        if let known = HeaderRecognizer.knownValues[guess.path] {
            lines += valueMap(guess.path, known: known, values: values)
        }
        return lines
    }

    /// A `map:` for status-like columns, from the distinct values seen; skipped when they are already codes.
    private static func valueMap(_ path: String, known: [String: String], values: [String]) -> [String] {
        var distinct: [String] = []
        for value in values {
            let trimmed = TextTransforms.trim(value)
            if !trimmed.isEmpty && !distinct.contains(trimmed) { distinct.append(trimmed) }
            if distinct.count >= 40 { break }
        }
        let field = PayloadField.lookup(path)
        let alreadyValid = distinct.allSatisfy { value in
            guard let field else { return true }
            return (try? FieldValidator.finalise(value, as: field.type)) != nil
                || (path == "deal.deal_currency" && ClosedSet.currency.contains(value.uppercased()))
        }
        if distinct.isEmpty || alreadyValid { return [] }
        var lines = ["    map:"]
        for value in distinct {
            let target = known[ValueMap.fold(value)] ?? "TODO"
            lines.append(
                "      \(quote(value)): \(quote(target))" + (target == "TODO" ? "  # replace with a valid code" : ""))
        }
        return lines
    }

    private static func dateTransforms(_ values: [String], indent: String) -> [String] {
        let formats = DateTransform.defaultPatterns.filter { pattern in
            values.contains { value in
                var copy = TextTransforms.trim(value)
                return copy.withUTF8 { pattern.match($0) != nil }
            }
        }.map(\.text)
        let list = (formats.isEmpty ? DateTransform.defaultFormats : formats).map(quote).joined(separator: ", ")
        return ["\(indent)transforms:", "\(indent)  - date: [\(list)]"]
    }

    private static func laterDateColumn(_ guesses: [HeaderGuess?], after index: Int) -> Int? {
        guesses.firstIndex { $0?.path == "user.group_name.group_date" }
    }

    /// A YAML double-quoted scalar.
    static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
