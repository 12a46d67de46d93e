package import CSVReader
import Foundation

/// What `run` asks for, before anything is opened.
package struct RunRequest: Sendable {
    package var inputPath: String
    package var mappingPath: String
    /// nil: `FILE.ledger.jsonl` beside the input.
    var ledgerPath: String?
    var target: ImportTarget
    /// Start over: move an existing ledger aside instead of resuming it.
    var newLedger: Bool
    /// `run` or `retry`, for the ledger's run record.
    var command: String
    /// The options as the run record shows them (never the key).
    var options: [String: String]

    package init(
        inputPath: String, mappingPath: String, ledgerPath: String?, target: ImportTarget, newLedger: Bool,
        command: String, options: [String: String]
    ) {
        self.inputPath = inputPath
        self.mappingPath = mappingPath
        self.ledgerPath = ledgerPath
        self.target = target
        self.newLedger = newLedger
        self.command = command
        self.options = options
    }

    /// `FILE.ledger.jsonl` beside the input.
    package static func defaultLedgerPath(forInput input: String) -> String {
        input + ".ledger.jsonl"
    }
}

/// Everything a run needs, opened and checked: the rows, the ledger, what the ledger said before.
package struct OpenedRun: Sendable {
    /// How the ledger was opened.
    package enum LedgerStart: Sendable, Equatable {
        case created
        case resumed
        /// `--new-ledger`: the previous ledger was moved here.
        case restarted(previousMovedTo: String)
    }

    var source: RowSource
    package var prior: LedgerSnapshot?
    package var writer: LedgerWriter
    package var ledgerPath: String
    package var ledgerStart: LedgerStart
    package var kind: ImportKind
    package var readerOptions: CSVReaderOptions
    package var mappingWarnings: [String]
}

/// Why a run cannot start: the cause, which the command layer maps to an exit status, and the message.
package struct RunSetupError: Error, Sendable, CustomStringConvertible {
    package enum Cause: Sendable, Equatable {
        /// The input, the mapping or the existing ledger cannot be used (missing, unreadable, changed).
        case unusable
        /// The ledger cannot be created or written (no space, no permission).
        case ledgerUnwritable
    }

    package var cause: Cause
    package var description: String

    init(_ description: String, cause: Cause = .unusable) {
        self.description = description
        self.cause = cause
    }
}

/// The mapping, the input and the existing ledger (if any), opened and checked, before anything is written:
/// what `run`'s preflight check needs, and what `RunSetup.open` turns into a run.
package struct PreparedRun: Sendable {
    package var request: RunRequest
    var mapping: Mapping
    var source: RowSource
    var readerOptions: CSVReaderOptions
    var header: LedgerHeader
    var ledgerPath: String
    /// The ledger this run resumes, already checked against this run; nil for a new ledger.
    package var prior: LedgerSnapshot?
    /// Its size when it was read: `open` reads it again if another process wrote to it meanwhile (a
    /// `retry` that ran during the account check).
    var priorSize: Int64 = 0
}

/// Opens the mapping, the input and the ledger, and decides between a new ledger and a resume.
package enum RunSetup {
    /// `prepare` and `open` in one step, without a check record (the benchmark and tests; the command layer
    /// prepares first, so that the account check runs in between).
    package static func open(_ request: RunRequest) throws(RunSetupError) -> OpenedRun {
        try open(try prepare(request), check: nil)
    }

    /// Loads the mapping, opens the input and reads the ledger a resume would continue, writing nothing.
    package static func prepare(_ request: RunRequest) throws(RunSetupError) -> PreparedRun {
        let mapping: Mapping
        do {
            mapping = try Mapping.load(path: request.mappingPath)
        } catch {
            throw RunSetupError("\(error)")
        }
        let options = mapping.readerOptions(CSVReaderOptions(), file: request.inputPath)
        let reader: CSVFileReader
        let mapper: RowMapper
        do {
            reader = try CSVFileReader(path: request.inputPath, options: options)
        } catch {
            throw RunSetupError("\(error)")
        }
        do {
            mapper = try RowMapper(mapping: mapping, header: reader.header)
        } catch {
            throw RunSetupError("\(error)")
        }
        let ledgerPath = request.ledgerPath ?? RunRequest.defaultLedgerPath(forInput: request.inputPath)
        let size = fileSize(ledgerPath)
        // The input's hash and the ledger a resume continues are the two long reads before the first row: on
        // two cores they go side by side.
        let inputIdentity = Background { () throws(LedgerError) in try FileIdentity.of(path: request.inputPath) }
        let loaded = Result { () throws(RunSetupError) in
            try loadExisting(path: ledgerPath, newLedger: request.newLedger)
        }
        let identities: (input: FileIdentity, mapping: FileIdentity)
        do {
            identities = (try inputIdentity.value(), try FileIdentity.of(path: request.mappingPath))
        } catch {
            throw RunSetupError("\(error)")
        }
        let settings = LedgerHeader.CSVSettings(
            delimiter: String(decoding: [reader.delimiter], as: UTF8.self), encoding: reader.encoding,
            header: options.hasHeader)
        let header = LedgerHeader(
            input: identities.input, mapping: identities.mapping, kind: mapping.kind, target: request.target.ledgerName,
            csv: settings)
        let prior = try loaded.get()
        try check(prior, path: ledgerPath, against: header)
        return PreparedRun(
            request: request, mapping: mapping,
            source: RowSource(reader: reader, mapper: mapper, inputPath: request.inputPath), readerOptions: options,
            header: header, ledgerPath: ledgerPath, prior: prior, priorSize: size)
    }

    /// Opens (or creates) the ledger and records the run, and the preflight check when one was made.
    package static func open(_ prepared: PreparedRun, check: LedgerCheckRecord?) throws(RunSetupError) -> OpenedRun {
        let request = prepared.request
        var prior = prepared.prior
        let (writer, start) = try openLedger(
            path: prepared.ledgerPath, header: prepared.header, newLedger: request.newLedger,
            resuming: prior != nil)
        // Now that the ledger is locked, what it says is what this run continues.
        if prior != nil && fileSize(prepared.ledgerPath) != prepared.priorSize {
            do {
                prior = try existingLedger(path: prepared.ledgerPath, header: prepared.header, newLedger: false)
            } catch {
                try? writer.close()
                throw error
            }
        }
        do {
            try writer.write(run: LedgerRunRecord(command: request.command, options: request.options))
            if let check { try writer.write(check: check) }
        } catch {
            try? writer.close()
            throw RunSetupError("\(error)", cause: .ledgerUnwritable)
        }
        return OpenedRun(
            source: prepared.source, prior: prior, writer: writer, ledgerPath: prepared.ledgerPath,
            ledgerStart: start, kind: prepared.mapping.kind, readerOptions: prepared.readerOptions,
            mappingWarnings: prepared.mapping.warnings)
    }

    /// The ledger a run would resume, checked against this run's header; nil when it starts a new one.
    static func existingLedger(path: String, header: LedgerHeader, newLedger: Bool) throws(RunSetupError)
        -> LedgerSnapshot?
    {
        let snapshot = try loadExisting(path: path, newLedger: newLedger)
        try check(snapshot, path: path, against: header)
        return snapshot
    }

    /// Refuses to resume a ledger written for another input, mapping or target.
    static func check(_ snapshot: LedgerSnapshot?, path: String, against header: LedgerHeader) throws(RunSetupError) {
        if let snapshot, let reason = snapshot.header.mismatch(with: header) {
            throw RunSetupError("cannot resume \(path): \(reason)")
        }
    }

    /// The ledger at `path` read back; nil when there is none or a new one is asked for.
    static func loadExisting(path: String, newLedger: Bool) throws(RunSetupError) -> LedgerSnapshot? {
        if hasNoCompleteLine(path) {
            // Killed between creating the file and finishing its header: nothing was recorded, nothing sent.
            // Removed only when no other gcimport holds it (one that is writing its header right now).
            let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 {
                if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { unlink(path) }
                Foundation.close(descriptor)
            }
        }
        guard !newLedger, FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try LedgerSnapshot.load(path: path)
        } catch {
            throw RunSetupError("\(error)")
        }
    }

    /// A new ledger (the old one moved aside under `--new-ledger`), or the existing one reopened.
    static func openLedger(path: String, header: LedgerHeader, newLedger: Bool, resuming: Bool)
        throws(RunSetupError) -> (LedgerWriter, OpenedRun.LedgerStart)
    {
        if resuming {
            do {
                return (try LedgerWriter.append(path: path), .resumed)
            } catch {
                throw RunSetupError("\(error)", cause: .ledgerUnwritable)
            }
        }
        var start = OpenedRun.LedgerStart.created
        if newLedger && FileManager.default.fileExists(atPath: path) {
            let aside = path + "." + LedgerClock.now().replacingOccurrences(of: ":", with: "") + ".old"
            do {
                try FileManager.default.moveItem(atPath: path, toPath: aside)
            } catch {
                throw RunSetupError(
                    "cannot move the old ledger \(path) aside to \(aside): \(error)", cause: .ledgerUnwritable)
            }
            start = .restarted(previousMovedTo: aside)
        }
        do {
            return (try LedgerWriter.create(path: path, header: header), start)
        } catch {
            throw RunSetupError("\(error)", cause: .ledgerUnwritable)
        }
    }

    static func fileSize(_ path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : -1
    }

    /// True for an existing ledger file without one complete line (empty, or a torn header).
    static func hasNoCompleteLine(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64 << 10)) ?? Data()
        return !head.contains(UInt8(ascii: "\n")) && head.count < 64 << 10
    }
}
