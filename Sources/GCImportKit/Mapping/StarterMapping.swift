// `gcimport mapping init FILE`: a starter mapping from the file's header and first rows. Recognised headers
// become fields with sensible transforms; status-like columns get a `map:` pre-filled from the values seen;
// everything else is listed as commented-out additional fields. What is written is loaded back first, so a
// mapping that would not load, or that would read another column than the one meant, is never written.
package import CSVReader
import Foundation

/// Writes starter mapping YAML.
package enum StarterMapping {
    /// Rows sampled for date formats, value checks and status values.
    static let sampleRows = 5_000

    /// Reads `file`'s header and first rows and returns the mapping text and the kind chosen. Throws
    /// `CSVReadError` when the file cannot be read, `StarterMappingError` when no mapping that loads can be
    /// made from it (a deal file without a cost column, say).
    package static func generate(file: String, kind: ImportKind?, options: CSVReaderOptions = .init()) throws
        -> (yaml: String, kind: ImportKind)
    {
        let reader = try CSVFileReader(path: file, options: options)
        var samples: [[String]] = []
        while samples.count < sampleRows, let record = try reader.next() {
            if record.problems.isEmpty { samples.append(record.fields) }
        }
        let csv = CSVInfo(delimiter: reader.delimiter, encoding: reader.encoding, hasBOM: reader.hasBOM)
        let draft = Draft(file: file, header: reader.header, samples: samples, kind: kind, csv: csv)
        try draft.checkLoads()
        return (draft.yaml, draft.kind)
    }

    /// How the file was read, written into the mapping's `csv:` section so later runs need no detection.
    package struct CSVInfo: Sendable {
        var delimiter: UInt8
        var encoding: CSVEncoding
        var hasBOM: Bool
    }

    /// The pure part: header and sample rows in, YAML out.
    static func generate(file: String, header: [String], samples: [[String]], kind: ImportKind?, csv: CSVInfo)
        -> (yaml: String, kind: ImportKind)
    {
        let draft = Draft(file: file, header: header, samples: samples, kind: kind, csv: csv)
        return (draft.yaml, draft.kind)
    }

    /// A YAML double-quoted scalar that reads back as exactly `text`: line breaks, tabs, control and
    /// invisible characters are escaped, so a header over two lines stays one value.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFEFF || value == 0x2028
                    || value == 0x2029
                {
                    let hex = String(value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A starter mapping that would not load; nothing was written.
package struct StarterMappingError: Error, Sendable, CustomStringConvertible {
    var file: String
    var problem: String

    package var description: String {
        "\(file): no starter mapping was written, because it would not load: \(problem). Add a column that "
            + "holds it, pick another --kind, or write the mapping by hand (README, «Mapping files»)"
    }
}

extension StarterMapping {
    /// One starter mapping being written, with the column each field is meant to read.
    struct Draft {
        let file: String
        let header: [String]
        let kind: ImportKind
        private(set) var yaml = ""
        /// Payload path → the 0-based column it must read, for the load-back check.
        private(set) var columns: [String: Int] = [:]

        init(file: String, header: [String], samples: [[String]], kind: ImportKind?, csv: CSVInfo) {
            self.file = file
            self.header = header
            let guesses = Self.usableGuesses(header: header, samples: samples)
            let chosen = kind ?? Self.kind(for: guesses)
            self.kind = chosen
            yaml = write(guesses: guesses, samples: samples, csv: csv)
        }

        // MARK: Choosing

        /// The header's guesses, minus those the sample values contradict («Оплачено» holding amounts) and
        /// weak ones another column claims.
        static func usableGuesses(header: [String], samples: [[String]]) -> [HeaderGuess?] {
            var guesses: [HeaderGuess?] = header.indices.map { index in
                guard let guess = HeaderRecognizer.guess(header[index]) else { return nil }
                let values = samples.lazy.compactMap { $0.indices.contains(index) ? $0[index] : nil }
                return SampleCheck.fits(guess, values: values) ? guess : nil
            }
            let strong = Set(guesses.compactMap { $0?.weak == false ? $0?.path : nil })
            for index in guesses.indices where guesses[index]?.weak == true {
                if let path = guesses[index]?.path, strong.contains(path) { guesses[index] = nil }
            }
            return guesses
        }

        /// What was bought or its cost make a deal file; a number and a status with neither make a status
        /// file; other order columns alone (a user export's «Создан») do not make a deal file.
        static func kind(for guesses: [HeaderGuess?]) -> ImportKind {
            let paths = Set(guesses.compactMap { $0?.path })
            if !paths.isDisjoint(with: ["deal.offer_code", "deal.product_title", "deal.offer_id", "deal.deal_cost"]) {
                return .deal
            }
            if paths.isSuperset(of: ["deal.deal_number", "deal.deal_status"]) { return .dealStatus }
            return paths.contains("deal.deal_number") ? .deal : .user
        }

        /// Whether a mapping of `kind` takes the field.
        private func fits(_ path: String) -> Bool {
            if path == "user.group_name.group_date" { return kind == .user || kind == .deal }
            return PayloadField.lookup(path)?.kinds.contains(kind) == true
        }

        /// How the mapping names column `index`: by its header, or by number when the header is blank or
        /// repeated (a name would find the first of the repeats).
        private func reference(_ index: Int) -> String {
            let name = header[index]
            let folded = ValueMap.fold(name)
            let repeated = header.indices.contains { $0 != index && ValueMap.fold(header[$0]) == folded }
            return name.isEmpty || folded.isEmpty || repeated ? String(index + 1) : StarterMapping.quote(name)
        }

        // MARK: Writing

        private mutating func write(guesses: [HeaderGuess?], samples: [[String]], csv: CSVInfo) -> String {
            func values(_ index: Int) -> [String] {
                samples.compactMap { $0.indices.contains(index) ? $0[index] : nil }
            }
            var fields: [String] = []
            var used: Set<String> = []
            var leftOver: [Int] = []
            var groupDateColumn: Int?
            for (index, guess) in guesses.enumerated() {
                guard let guess, !used.contains(guess.path), fits(guess.path) else {
                    leftOver.append(index)
                    continue
                }
                if guess.path == "user.group_name.group_date" {
                    groupDateColumn = groupDateColumn ?? index
                    continue
                }
                used.insert(guess.path)
                columns[guess.path] = index
                fields += field(guess, column: index, values: values(index))
                if guess.path == "user.group_name", kind != .userGroups,
                    let dateIndex = groupDateColumn
                        ?? guesses.firstIndex(where: { $0?.path == "user.group_name.group_date" })
                {
                    fields += [
                        "    # The date each group was joined; remove if the groups need no date.",
                        "    group_date:", "      column: \(reference(dateIndex))",
                    ]
                    fields += StarterMapping.dateTransforms(values(dateIndex), indent: "      ")
                    groupDateColumn = dateIndex
                }
            }
            fields += advice(used: used)
            let suggestions = leftOver.filter { $0 != groupDateColumn }
            if !suggestions.isEmpty && (kind == .user || kind == .deal) {
                fields.append("  # Columns not recognised; uncomment to send them as additional fields")
                fields.append("  # (the field must exist in GetCourse under the same name):")
                let section = kind == .deal ? "deal" : "user"
                for index in suggestions {
                    let name = header[index]
                    if name.isEmpty {
                        fields.append(
                            "  # \(StarterMapping.quote("\(section).addfields.FIELD NAME")): \(index + 1)"
                                + "  # column \(index + 1) has no header (GetCourse exports custom fields so)")
                    } else {
                        fields.append(
                            "  # \(StarterMapping.quote("\(section).addfields.\(name)")): \(reference(index))")
                    }
                }
            }
            let phoneOnly = kind == .user && !used.contains("user.email") && used.contains("user.phone")
            var out = [
                "# Starter mapping for \(Self.oneLine(file)), written by `gcimport mapping init`.",
                "# Review it (the README, section «Mapping files», lists every key), then check every row with:",
                "#   gcimport validate \(Self.oneLine(file)) --mapping THIS_FILE",
                "kind: \(kind.rawValue)",
                "csv:",
                "  delimiter: \(StarterMapping.quote(CSVDelimiter(rawValue: csv.delimiter)?.mappingName ?? String(UnicodeScalar(csv.delimiter))))",
                "  encoding: \(csv.encoding.rawValue)",
                "  header: true",
            ]
            if phoneOnly {
                out.append("# The file has phones but no email column: GetCourse then invents a technical email.")
                out.append("allow_phone_only: true")
            }
            out.append("fields:")
            return (out + fields).joined(separator: "\n") + "\n"
        }

        /// What the kind still needs, as comments.
        private func advice(used: Set<String>) -> [String] {
            var lines: [String] = []
            if kind == .user {
                lines.append("  # Update users that already exist (1) or leave them untouched (0):")
                lines.append("  system.refresh_if_exists: {value: 0}")
            }
            if kind == .deal && !used.contains("deal.deal_number") {
                lines.append(
                    "  # No order-number column found: without deal.deal_number a re-sent row creates a second order.")
            }
            if kind == .deal && used.isDisjoint(with: ["deal.offer_code", "deal.product_title", "deal.offer_id"]) {
                lines.append("  # REQUIRED: what was bought, from a column or as one value for every row, e.g.")
                lines.append("  # deal.product_title: {value: \"Курс\"}")
            }
            if kind == .userGroups {
                if !used.contains("user.id") {
                    lines.append("  # REQUIRED: the column holding GetCourse user ids, e.g.")
                    lines.append("  # user.id: {column: \"ID\", transforms: [trim]}")
                }
                lines.append("  # Each row REPLACES the user's groups: groups not listed are taken away.")
            }
            return lines
        }

        private func field(_ guess: HeaderGuess, column: Int, values: [String]) -> [String] {
            var lines = ["  \(guess.path):", "    column: \(reference(column))"]
            if guess.transforms == ["date"] {
                lines += StarterMapping.dateTransforms(values, indent: "    ")
            } else {
                lines.append("    transforms: [\(guess.transforms.joined(separator: ", "))]")
            }
            if let split = guess.split { lines.append("    split: \(StarterMapping.quote(split))") }
            if guess.path == "user.email" { lines.append("    required: true") }
            if let known = HeaderRecognizer.knownValues[guess.path] {
                lines += StarterMapping.valueMap(guess.path, known: known, values: values)
            }
            return lines
        }

        private static func oneLine(_ text: String) -> String {
            String(text.map { $0.isNewline ? " " : $0 })
        }

        // MARK: Loading it back

        /// Loads the YAML as `validate` would and checks every field reads the column it was written for.
        func checkLoads() throws(StarterMappingError) {
            let mapping: Mapping
            do {
                mapping = try Mapping.parse(yaml: yaml, path: "the starter mapping")
            } catch {
                throw StarterMappingError(file: file, problem: error.message)
            }
            let resolver = ColumnResolver(mapping: mapping, header: header)
            for spec in mapping.fields {
                guard case .column(let reference) = spec.source, let meant = columns[spec.field.path] else { continue }
                let found: Int
                do {
                    found = try resolver.index(of: reference, key: spec.field.path, line: spec.line, column: nil)
                } catch {
                    throw StarterMappingError(file: file, problem: error.message)
                }
                guard found == meant else {
                    throw StarterMappingError(
                        file: file,
                        problem: "\(spec.field.path) would read column \(found + 1) instead of \(meant + 1)")
                }
            }
        }
    }

    // MARK: Values

    /// A `map:` for status-like columns from the distinct values seen: codes stay as they are, known words and
    /// aliases (`Оплачен`, `RUR`) get their code, the rest `TODO`. None when every value is a code already.
    static func valueMap(_ path: String, known: [String: String], values: [String]) -> [String] {
        var distinct: [String] = []
        for value in values {
            let trimmed = TextTransforms.trim(value)
            if !trimmed.isEmpty && !distinct.contains(trimmed) { distinct.append(trimmed) }
            if distinct.count >= 40 { break }
        }
        let code = { (value: String) -> String? in
            guard let field = PayloadField.lookup(path) else { return value }
            if path == "deal.deal_currency" {
                let upper = value.uppercased()
                return ClosedSet.currency.contains(upper) ? upper : nil
            }
            return (try? FieldValidator.finalise(value, as: field.type)) != nil ? value : nil
        }
        if distinct.isEmpty || distinct.allSatisfy({ code($0) != nil }) { return [] }
        var lines = ["    map:"]
        for value in distinct {
            let target = code(value) ?? known[ValueMap.fold(value)] ?? "TODO"
            lines.append(
                "      \(quote(value)): \(quote(target))" + (target == "TODO" ? "  # replace with a valid code" : ""))
        }
        return lines
    }

    /// The column's own formats when its first values tell them, else the defaults.
    static func dateTransforms(_ values: [String], indent: String) -> [String] {
        let formats = DateFormatGuess.formats(for: Array(values.prefix(SampleCheck.limit))) ?? []
        let list = (formats.isEmpty ? DateTransform.defaultFormats : formats).map(quote).joined(separator: ", ")
        return ["\(indent)transforms:", "\(indent)  - date: [\(list)]"]
    }
}
