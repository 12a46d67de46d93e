import ArgumentParser
import CSVReader
import GCImportKit

extension GCImportCommand {
    /// `gcimport inspect FILE`: how the file will be read, and everything wrong with it, in one pass.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how a CSV file will be read: delimiter, encoding, columns, rows and every problem.",
            discussion: """
                Reads the whole file once, in constant memory, and reports the delimiter and encoding (given, \
                or detected: the delimiter from the header line; the encoding as UTF-8 when the file starts \
                with a BOM or when more of the lines with non-ASCII text in its first 4 MiB are UTF-8 than \
                not, Windows-1251 otherwise, so a few rows pasted from a Windows-1251 file are reported on \
                their lines instead of garbling the rest), whether it starts with a UTF-8 BOM, the header \
                columns with their 1-based index, the number of data rows, and every problem with its line: \
                rows with more or fewer fields than the header, stray quotes, quotes left open, fields over \
                --max-field-size, NUL bytes, bytes that are not valid text, blank or repeated column names.

                Line numbers are physical lines of the file (blank lines and line breaks inside quoted values \
                count). Blank lines are skipped. Spaces around unquoted values are trimmed; inside quotes \
                they are kept. An Excel `sep=;` first line sets the delimiter. A row with a problem still \
                counts as a row. --json lists up to 100,000 problems; problem_count is always exact.

                A column without a name is a notice, not a problem: GetCourse's own user export leaves its \
                custom-field columns so, and a mapping reaches such a column by number.

                Exit status: 0 no problems (notices allowed), 1 rows or the header cannot be read right, 64 \
                usage error, 65 the file cannot be read at all (missing, a directory, no permission, not a \
                text file).
                """)

        @Argument(help: ArgumentHelp("The CSV file to inspect.", valueName: "file"))
        var file: String

        @OptionGroup var input: CSVInputOptions

        @Flag(help: "Print one JSON object (delimiter, encoding, bom, columns, rows, problems) instead of text.")
        var json = false

        @Option(help: "Problems listed in text output; the count is always exact.")
        var maxProblems = 20

        func validate() throws {
            guard maxProblems >= 0 else { throw ValidationError("--max-problems cannot be negative") }
        }

        func run() throws {
            let reader: CSVFileReader
            var rows = 0
            var problems = ProblemTally(keeping: json ? 100_000 : maxProblems)
            var notices = ProblemTally(keeping: json ? 100_000 : maxProblems)
            do {
                reader = try CSVFileReader(path: file, options: input.readerOptions)
                var fileProblemsSeen = reader.fileProblems.count
                notices.add(reader.fileProblems.filter(\.isNotice))
                problems.add(reader.fileProblems.filter { !$0.isNotice })
                // Only the problems are needed: the rows are read without a string per field.
                while let found = try reader.nextRaw(\.problems) {
                    rows += 1
                    if !found.isEmpty { problems.add(found) }
                    if reader.fileProblems.count > fileProblemsSeen {
                        problems.add(reader.fileProblems[fileProblemsSeen...])
                        fileProblemsSeen = reader.fileProblems.count
                    }
                }
            } catch {
                StandardError.error("\(error)")
                throw ExitCode.dataError
            }
            let report = InspectReport(file: file, reader: reader, rows: rows, problems: problems, notices: notices)
            print(json ? report.json() : report.text(tty: TTY()), terminator: "")
            if problems.total > 0 { throw ExitCode.problems }
        }
    }
}

/// Problems counted exactly, the first few kept for printing.
struct ProblemTally {
    let limit: Int
    private(set) var kept: [CSVProblem] = []
    private(set) var total = 0
    private(set) var byKind: [CSVProblem.Kind: Int] = [:]

    init(keeping limit: Int) {
        self.limit = limit
    }

    mutating func add(_ problems: some Sequence<CSVProblem>) {
        for problem in problems {
            total += 1
            byKind[problem.kind, default: 0] += 1
            if kept.count < limit { kept.append(problem) }
        }
    }
}

/// What `inspect` prints, as text for people or as one JSON object for scripts.
struct InspectReport {
    let file: String
    let reader: CSVFileReader
    let rows: Int
    let problems: ProblemTally
    let notices: ProblemTally

    // MARK: Text

    func text(tty: TTY) -> String {
        var out = tty.paint(file, .bold) + "\n"
        let detected = { (flag: Bool) in flag ? " (detected)" : " (given)" }
        out += "  encoding   \(reader.encoding.rawValue)\(detected(reader.encodingWasDetected))"
        if let evidence = reader.encodingEvidence, evidence.otherLines > 0,
            reader.encoding == .utf8 || evidence.utf8Lines > 0
        {
            out += " (\(evidence.summary))"
        }
        out += reader.hasBOM ? ", with BOM\n" : ", no BOM\n"
        out += "  delimiter  \(CSVDelimiter.display(reader.delimiter))\(detected(reader.delimiterWasDetected))\n"
        if reader.headerLine > 0 {
            out += "  header     line \(reader.headerLine), \(reader.header.count) columns\n"
        } else {
            out += "  header     none, \(reader.header.count) columns numbered from the first row\n"
        }
        let width = String(reader.header.count).count
        for (index, name) in reader.header.enumerated() {
            let number = String(index + 1)
            out += "    " + String(repeating: " ", count: width - number.count) + number + "  "
            out += (name.isEmpty ? tty.paint("(blank)", .dim) : name) + "\n"
        }
        out += "  rows       \(rows)"
        switch reader.blankLineCount {
        case 0: out += "\n"
        case 1: out += " (1 blank line skipped)\n"
        default: out += " (\(reader.blankLineCount) blank lines skipped)\n"
        }
        if notices.total > 0 {
            out += "  notices    \(notices.total)\n"
            for notice in notices.kept { out += "    " + place(of: notice) + "  " + notice.message + "\n" }
            if notices.total > notices.kept.count { out += "    … and \(notices.total - notices.kept.count) more\n" }
        }
        guard problems.total > 0 else {
            return out + "  problems   " + tty.paint("none", .green) + "\n"
        }
        let kinds = problems.byKind.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        out += "  problems   " + tty.paint(String(problems.total), .red) + " (\(kinds))\n"
        for problem in problems.kept {
            out += "    " + place(of: problem) + "  " + tty.paint(problem.kind.rawValue, .yellow) + ": "
            out += problem.message + "\n"
        }
        let unlisted = problems.total - problems.kept.count
        if unlisted > 0 {
            out += "    … and \(unlisted) more (--max-problems N lists more, --json lists all)\n"
        }
        return out
    }

    /// `line 7, column 4 (Телефон)`.
    private func place(of problem: CSVProblem) -> String {
        var place = "line \(problem.line)"
        if let column = problem.column {
            place += ", column \(column)"
            if reader.headerLine > 0, column >= 1, column <= reader.header.count, !reader.header[column - 1].isEmpty {
                place += " (\(reader.header[column - 1]))"
            }
        }
        return place
    }

    // MARK: JSON

    func json() -> String {
        func listed(_ tally: ProblemTally) -> [InspectJSON.Problem] {
            tally.kept.map {
                InspectJSON.Problem(
                    line: $0.line, column: $0.column, row: $0.row, kind: $0.kind.rawValue, message: $0.message)
            }
        }
        return ReportJSON.encode(
            InspectJSON(
                file: file, delimiter: String(UnicodeScalar(reader.delimiter)),
                delimiterDetected: reader.delimiterWasDetected, encoding: reader.encoding.rawValue,
                encodingDetected: reader.encodingWasDetected, encodingUTF8Lines: reader.encodingEvidence?.utf8Lines,
                encodingOtherLines: reader.encodingEvidence?.otherLines, bom: reader.hasBOM,
                headerLine: reader.headerLine, columns: reader.header, rows: rows, blankLines: reader.blankLineCount,
                problems: listed(problems), problemCount: problems.total,
                problemsTruncated: problems.kept.count < problems.total, notices: listed(notices),
                noticeCount: notices.total))
    }
}

/// `inspect --json`; absent values are written as null, so every key is always there.
private struct InspectJSON: Encodable {
    struct Problem: Encodable {
        var line: Int
        var column: Int?
        var row: Int?
        var kind: String
        var message: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(row, forKey: .row)
            try container.encode(kind, forKey: .kind)
            try container.encode(message, forKey: .message)
        }

        enum CodingKeys: String, CodingKey { case line, column, row, kind, message }
    }

    var file: String
    var delimiter: String
    var delimiterDetected: Bool
    var encoding: String
    var encodingDetected: Bool
    var encodingUTF8Lines: Int?
    var encodingOtherLines: Int?
    var bom: Bool
    var headerLine: Int
    var columns: [String]
    var rows: Int
    var blankLines: Int
    var problems: [Problem]
    var problemCount: Int
    var problemsTruncated: Bool
    var notices: [Problem]
    var noticeCount: Int

    enum CodingKeys: String, CodingKey {
        case file, delimiter, encoding, bom, columns, rows, problems, notices
        case delimiterDetected = "delimiter_detected"
        case encodingDetected = "encoding_detected"
        case encodingUTF8Lines = "encoding_utf8_lines"
        case encodingOtherLines = "encoding_other_lines"
        case headerLine = "header_line"
        case blankLines = "blank_lines"
        case problemCount = "problem_count"
        case problemsTruncated = "problems_truncated"
        case noticeCount = "notice_count"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(delimiter, forKey: .delimiter)
        try container.encode(delimiterDetected, forKey: .delimiterDetected)
        try container.encode(encoding, forKey: .encoding)
        try container.encode(encodingDetected, forKey: .encodingDetected)
        try container.encode(encodingUTF8Lines, forKey: .encodingUTF8Lines)
        try container.encode(encodingOtherLines, forKey: .encodingOtherLines)
        try container.encode(bom, forKey: .bom)
        try container.encode(headerLine, forKey: .headerLine)
        try container.encode(columns, forKey: .columns)
        try container.encode(rows, forKey: .rows)
        try container.encode(blankLines, forKey: .blankLines)
        try container.encode(problems, forKey: .problems)
        try container.encode(problemCount, forKey: .problemCount)
        try container.encode(problemsTruncated, forKey: .problemsTruncated)
        try container.encode(notices, forKey: .notices)
        try container.encode(noticeCount, forKey: .noticeCount)
    }
}
