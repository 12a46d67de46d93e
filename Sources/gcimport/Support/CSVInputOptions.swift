import ArgumentParser
import CSVReader

/// How to read the input CSV; shared by every command that reads one (`@OptionGroup var input: CSVInputOptions`).
struct CSVInputOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Field delimiter: ';' ',' '|' or 'tab' (also '\\t'). Detected from the header line when omitted.",
            valueName: "delimiter"))
    var delimiter: DelimiterArgument?

    @Option(
        help: ArgumentHelp(
            "utf-8 or windows-1251. When omitted: UTF-8 if the file starts with a BOM or most lines with "
                + "non-ASCII text in its first 4 MiB are UTF-8, else Windows-1251.",
            valueName: "encoding"))
    var encoding: EncodingArgument?

    @Flag(help: "The first line is data, not a header; columns are then named 1, 2, 3, …")
    var noHeader = false

    @Option(help: ArgumentHelp("Longest field kept, in bytes; longer fields are cut and reported.", valueName: "bytes"))
    var maxFieldSize: Int = 1 << 20

    func validate() throws {
        guard maxFieldSize > 0 else {
            throw ValidationError("--max-field-size must be a positive number of bytes, got \(maxFieldSize)")
        }
    }

    /// The reader options these flags describe.
    var readerOptions: CSVReaderOptions {
        CSVReaderOptions(
            delimiter: delimiter?.byte, encoding: encoding?.encoding, hasHeader: !noHeader,
            maxFieldBytes: maxFieldSize)
    }
}

/// `--delimiter`: one of the four delimiters of `CSVDelimiter`, by character or by name.
struct DelimiterArgument: ExpressibleByArgument, Sendable {
    let byte: UInt8

    init?(argument: String) {
        guard let delimiter = CSVDelimiter(name: argument) else { return nil }
        byte = delimiter.rawValue
    }

    static var allValueStrings: [String] { CSVDelimiter.allCases.map(\.mappingName) }
}

/// `--encoding`: the names people use for the two encodings the reader knows.
struct EncodingArgument: ExpressibleByArgument, Sendable {
    let encoding: CSVEncoding

    init?(argument: String) {
        switch argument.lowercased() {
        case "utf-8", "utf8": encoding = .utf8
        case "windows-1251", "cp1251", "win1251", "windows1251": encoding = .windows1251
        default: return nil
        }
    }

    static var allValueStrings: [String] { CSVEncoding.allCases.map(\.rawValue) }
}
