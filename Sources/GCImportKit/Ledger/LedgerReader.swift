import Foundation

/// One line of a ledger, read back.
package enum LedgerLine: Sendable, Equatable {
    case header(LedgerHeader)
    case run(LedgerRunRecord)
    case event(LedgerEvent)
    case check(LedgerCheckRecord)
    case export(LedgerExportRecord)
    case verify(LedgerVerifyRecord)
}

/// Reads a ledger line by line in fixed chunks (constant memory for any size).
///
/// A last line without its newline is a write torn by a crash: it is dropped, as `LedgerWriter.append` drops
/// it. A damaged line anywhere else is an error naming it.
package final class LedgerReader {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    /// 1-based number of the last line returned.
    private(set) var lineNumber = 0
    /// True once a torn last line was seen and dropped.
    private(set) var droppedTornLine = false
    /// The largest row number the header's input can have: a row takes at least one byte of the file. A
    /// damaged line with a row past it must not size the readers' row tables (16 GB for row 16666666666).
    private var rowLimit = Int.max

    init(path: String) throws(LedgerError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LedgerError(.unreadable(path: path, reason: "no such file, or no permission to read it"))
        }
        self.path = path
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The next line, or nil at the end.
    func next() throws(LedgerError) -> LedgerLine? {
        guard let bytes = try nextLine() else { return nil }
        return try decode(bytes)
    }

    /// A line reduced to what a resume needs: an event line as the writer writes it gives only its row,
    /// state and attempt (without building its strings); any other line comes whole.
    enum Compact {
        case event(LedgerEventParser.Essentials)
        case line(LedgerLine)
    }

    /// The next line in compact form, or nil at the end.
    func nextCompact() throws(LedgerError) -> Compact? {
        guard let bytes = try nextLine() else { return nil }
        if lineNumber > 1, let essentials = LedgerEventParser.essentials(of: bytes) {
            try checkRow(essentials.row)
            return .event(essentials)
        }
        return .line(try decode(bytes))
    }

    private func checkRow(_ row: Int) throws(LedgerError) {
        guard row <= rowLimit else {
            throw LedgerError(
                .damaged(
                    path: path, line: lineNumber,
                    reason: "row \(row) is past the end of the input, which has \(rowLimit) bytes"))
        }
    }

    /// The next line that is not empty, counted.
    private func nextLine() throws(LedgerError) -> ArraySlice<UInt8>? {
        while true {
            guard let bytes = try nextRawLine() else { return nil }
            lineNumber += 1
            if !bytes.isEmpty { return bytes }
        }
    }

    private func decode(_ bytes: ArraySlice<UInt8>) throws(LedgerError) -> LedgerLine {
        if lineNumber == 1 {
            guard let header = try? JSONDecoder().decode(LedgerHeader.self, from: Data(bytes)), header.type == "header"
            else { throw LedgerError(.notALedger(path: path)) }
            rowLimit = max(1, Int(clamping: header.input.size))
            return .header(header)
        }
        // Events are nearly every line and start with "row" as the writer puts it; anything else is tried as
        // a typed record first, then as an event written with another key order.
        if !bytes.starts(with: #"{"row":"#.utf8), let record = try typedRecord(bytes) {
            return record
        }
        let event: LedgerEvent
        do {
            event = try LedgerEventParser.parse(bytes)
        } catch {
            throw LedgerError(.damaged(path: path, line: lineNumber, reason: error.reason))
        }
        try checkRow(event.row)
        return .event(event)
    }

    /// A line with a `type` (`run`, `check`, `export`, `verify`), or nil when it has none.
    private func typedRecord(_ bytes: ArraySlice<UInt8>) throws(LedgerError) -> LedgerLine? {
        struct Probe: Decodable { var type: String }
        let data = Data(bytes)
        let decoder = JSONDecoder()
        guard let probe = try? decoder.decode(Probe.self, from: data) else { return nil }
        do {
            switch probe.type {
            case "run": return .run(try decoder.decode(LedgerRunRecord.self, from: data))
            case "check": return .check(try decoder.decode(LedgerCheckRecord.self, from: data))
            case "export": return .export(try decoder.decode(LedgerExportRecord.self, from: data))
            case "verify": return .verify(try decoder.decode(LedgerVerifyRecord.self, from: data))
            default:
                throw LedgerError(
                    .damaged(
                        path: path, line: lineNumber,
                        reason: "a line of type \"\(probe.type)\" (written by a newer gcimport?)"))
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.damaged(path: path, line: lineNumber, reason: "a \(probe.type) line: \(error)"))
        }
    }

    private func nextRawLine() throws(LedgerError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[position..<newline]
                position = newline + 1
                return line
            }
            if atEnd {
                if position < buffer.count { droppedTornLine = true }
                position = buffer.count
                return nil
            }
            buffer.removeSubrange(0..<position)
            position = 0
            do {
                guard let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty else {
                    atEnd = true
                    continue
                }
                buffer.append(contentsOf: chunk)
            } catch {
                throw LedgerError(.unreadable(path: path, reason: "\(error)"))
            }
        }
    }
}
