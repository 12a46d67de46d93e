package import CSVReader
import Foundation

/// Writes the rows of the original input that a ledger says need attention, with their original columns plus
/// `_line`, `_state` and `_error`, in the input's own delimiter, encoding and BOM: fix them in Excel and import
/// the file again with the same mapping (the extra columns are ignored by it).
package struct FailedRowsExport: Sendable {
    /// What `gcimport failed` writes unless told otherwise: every row that did not end ok or skipped.
    static let defaultStates: Set<RowState> = [.rejected, .failed, .unknown, .invalid, .missing]
    static let extraColumns = ["_line", "_state", "_error"]

    var ledgerPath: String
    var outputPath: String
    /// `sent` is folded into `unknown`, as in every summary.
    var states: Set<RowState>

    package init(ledgerPath: String, outputPath: String, states: Set<RowState> = Self.defaultStates) {
        self.ledgerPath = ledgerPath
        self.outputPath = outputPath
        self.states = states
    }

    package struct Summary: Sendable, Equatable {
        package var written: Int
        package var byState: [RowState: Int]
    }

    package enum Failure: Error, CustomStringConvertible {
        case ledger(LedgerError)
        case inputChanged(path: String)
        case input(CSVReadError)
        case output(path: String, reason: String)
        case sameFile(path: String)

        package var description: String {
            switch self {
            case .ledger(let error): "\(error)"
            case .inputChanged(let path):
                "\(path): the input changed since the ledger was written, so its rows no longer match the ledger's "
                    + "line numbers; restore the original file"
            case .input(let error): "\(error)"
            case .output(let path, let reason): "\(path): cannot write: \(reason)"
            case .sameFile(let path): "\(path): refusing to overwrite the input or the ledger; choose another -o"
            }
        }
    }

    /// Writes the input's rows in the chosen states to `outputPath`, with their original columns.
    package func run() throws(Failure) -> Summary {
        let wanted = try rowsToExport()
        let header: LedgerHeader
        do {
            header = try LedgerSnapshot.load(path: ledgerPath).header
        } catch { throw .ledger(error) }
        let inputPath = header.input.path
        for protected in [inputPath, ledgerPath]
        where FileIdentity.absolutePath(protected) == FileIdentity.absolutePath(outputPath) {
            throw .sameFile(path: outputPath)
        }
        do {
            let current = try FileIdentity.of(path: inputPath)
            guard current.sha256 == header.input.sha256 else { throw Failure.inputChanged(path: inputPath) }
        } catch let error as Failure {
            throw error
        } catch {
            throw .input(CSVReadError(path: inputPath, message: "\(error)"))
        }
        return try copyRows(wanted, from: inputPath, options: header.csv.readerOptions)
    }

    /// Row → (line, state, error) for rows whose last ledger line is in `states`.
    private func rowsToExport() throws(Failure) -> [Int: (state: RowState, error: String)] {
        var latest: [Int: (state: RowState, error: String)] = [:]
        do {
            let reader = try LedgerReader(path: ledgerPath)
            while let line = try reader.next() {
                guard case .event(let event) = line else { continue }
                let state = event.state.summaryState
                if states.contains(state) {
                    let error = event.error ?? latest[event.row]?.error ?? "sent, no answer recorded (the run stopped)"
                    latest[event.row] = (state, error)
                } else {
                    latest[event.row] = nil
                }
            }
        } catch { throw .ledger(error) }
        return latest
    }

    private func copyRows(
        _ wanted: [Int: (state: RowState, error: String)], from inputPath: String, options: CSVReaderOptions
    ) throws(Failure) -> Summary {
        let temporary = outputPath + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let output = FileHandle(forWritingAtPath: temporary)
        else { throw .output(path: outputPath, reason: "cannot create \(temporary)") }
        var summary = Summary(written: 0, byState: [:])
        do {
            let reader = try CSVFileReader(path: inputPath, options: options)
            let writer = CSVWriter(delimiter: reader.delimiter, encoding: reader.encoding, writesBOM: reader.hasBOM)
            var buffer = writer.preamble
            if options.hasHeader { buffer += writer.encodeRecord(reader.header + Self.extraColumns) }
            while let record = try reader.next() {
                guard let entry = wanted[record.row] else { continue }
                var fields = record.fields
                // Short ragged rows are padded so the extra columns line up; long ones keep every field.
                if fields.count < reader.header.count {
                    fields += Array(repeating: "", count: reader.header.count - fields.count)
                }
                buffer += writer.encodeRecord(
                    fields + [String(record.line), entry.state.rawValue, RejectionAdvice.annotated(entry.error)],
                    rawFields: record.rawFields)
                summary.written += 1
                summary.byState[entry.state, default: 0] += 1
                if buffer.count > 1 << 20 {
                    try output.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try output.write(contentsOf: buffer)
            try output.synchronize()
            try output.close()
        } catch let error as CSVReadError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .input(error)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .output(path: outputPath, reason: "\(error)")
        }
        // Renamed into place only when complete, so a half-written file never looks like a result.
        guard rename(temporary, outputPath) == 0 else {
            throw .output(path: outputPath, reason: String(cString: strerror(errno)))
        }
        return summary
    }
}
