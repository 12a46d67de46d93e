// What a dry run found: counts for every row, errors grouped by field, duplicates, the first payloads.
import CSVReader

/// The outcome of `DryRun.run()`; rendered as text or JSON by `DryRunRenderer`.
package struct DryRunReport: Sendable {
    /// How the file was read (so the user can check detection guessed right).
    package struct Input: Sendable {
        var delimiter: UInt8
        var delimiterWasDetected: Bool
        var encoding: CSVEncoding
        var encodingWasDetected: Bool
        var hasBOM: Bool
        var header: [String]
        var headerLine: Int
    }

    /// Errors of one payload field: how many rows, the first lines, one example.
    package struct FieldErrors: Sendable {
        var field: String
        var count: Int
        var firstLines: [Int]
        var example: RowError
    }

    /// One of the first payloads, as `--show` prints it.
    package struct ShownPayload: Sendable {
        var row: Int
        var line: Int
        var prettyJSON: String
        /// The form body with the key masked as `***`.
        var maskedBody: String
    }

    var file: String
    var mappingFile: String
    var kind: ImportKind
    var input: Input
    var rows = 0
    var valid = 0
    var invalid = 0
    var skipped = 0
    /// Valid rows whose natural key repeats an earlier valid row's.
    var duplicates = 0
    var duplicateGroups: [DuplicateGroup] = []
    var warnings: [String] = []
    /// The first errors (capped by `DryRunOptions.errorLimit`); `errorsTotal` is exact.
    var errors: [RowError] = []
    var errorsTotal = 0
    var fieldErrors: [FieldErrors] = []
    var skipReasons: [(reason: String, count: Int, firstLine: Int)] = []
    var shown: [ShownPayload] = []

    /// 0 when every row is valid or skipped, 1 when some are invalid (the command's exit status).
    package var exitStatus: ExitStatus { invalid > 0 ? .problems : .success }
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
