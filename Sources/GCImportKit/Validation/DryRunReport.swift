// What a dry run found: counts for every row, errors grouped by field, duplicates, the first payloads.
public import CSVReader

/// The outcome of `DryRun.run()`; rendered as text or JSON by `DryRunRenderer`.
public struct DryRunReport: Sendable {
    /// How the file was read (so the user can check detection guessed right).
    public struct Input: Sendable {
        public var delimiter: UInt8
        public var delimiterWasDetected: Bool
        public var encoding: CSVEncoding
        public var encodingWasDetected: Bool
        public var hasBOM: Bool
        public var header: [String]
        public var headerLine: Int
    }

    /// Errors of one payload field: how many rows, the first lines, one example.
    public struct FieldErrors: Sendable {
        public var field: String
        public var count: Int
        public var firstLines: [Int]
        public var example: RowError
    }

    /// One of the first payloads, as `--show` prints it.
    public struct ShownPayload: Sendable {
        public var row: Int
        public var line: Int
        public var prettyJSON: String
        /// The form body with the key masked as `***`.
        public var maskedBody: String
    }

    public var file: String
    public var mappingFile: String
    public var kind: ImportKind
    public var input: Input
    public var rows = 0
    public var valid = 0
    public var invalid = 0
    public var skipped = 0
    /// Valid rows whose natural key repeats an earlier valid row's.
    public var duplicates = 0
    public var duplicateGroups: [DuplicateGroup] = []
    public var warnings: [String] = []
    /// The first errors (capped by `DryRunOptions.errorLimit`); `errorsTotal` is exact.
    public var errors: [RowError] = []
    public var errorsTotal = 0
    public var fieldErrors: [FieldErrors] = []
    public var skipReasons: [(reason: String, count: Int, firstLine: Int)] = []
    public var shown: [ShownPayload] = []
    /// Bytes of all form bodies the run would send (with an empty key).
    public var bodyBytes = 0

    /// 0 when every row is valid or skipped, 1 when some are invalid (the command's exit status).
    public var exitStatus: ExitStatus { invalid > 0 ? .problems : .success }
}

/// Accumulates per-field error summaries in bounded memory while the rows stream by.
struct FieldErrorTally {
    let linesKept: Int
    private var byField: [String: DryRunReport.FieldErrors] = [:]
    private var order: [String] = []

    init(linesKept: Int) { self.linesKept = linesKept }

    mutating func add(_ error: RowError) {
        if var entry = byField[error.field] {
            entry.count += 1
            if entry.firstLines.count < linesKept && entry.firstLines.last != error.line {
                entry.firstLines.append(error.line)
            }
            byField[error.field] = entry
        } else {
            byField[error.field] = .init(field: error.field, count: 1, firstLines: [error.line], example: error)
            order.append(error.field)
        }
    }

    /// Most frequent first; ties in order of first appearance.
    var summaries: [DryRunReport.FieldErrors] {
        order.compactMap { byField[$0] }.enumerated().sorted {
            $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset
        }.map(\.element)
    }
}
