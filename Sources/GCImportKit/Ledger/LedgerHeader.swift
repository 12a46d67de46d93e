import CSVReader

/// The ledger's first line: what was imported, with which mapping, where to. Never the key.
package struct LedgerHeader: Codable, Sendable, Equatable {
    /// Bumped when a ledger written by this version could be misread by an older one.
    static let currentFormat = 1

    /// How the input was read, so `failed` can read it back identically without the mapping.
    package struct CSVSettings: Codable, Sendable, Equatable {
        /// The delimiter as a one-character string (`"\t"` for TAB).
        var delimiter: String
        var encoding: CSVEncoding
        var header: Bool

        init(delimiter: String, encoding: CSVEncoding, header: Bool) {
            self.delimiter = delimiter
            self.encoding = encoding
            self.header = header
        }

        /// Reader options that read the input exactly as the run did.
        var readerOptions: CSVReaderOptions {
            CSVReaderOptions(delimiter: delimiter.utf8.first, encoding: encoding, hasHeader: header)
        }
    }

    var type = "header"
    var format: Int
    var tool: String
    package var input: FileIdentity
    package var mapping: FileIdentity
    package var kind: ImportKind
    /// The account URL or endpoint, or `sandbox`; never the key.
    package var target: String
    var csv: CSVSettings
    var started: String

    init(
        input: FileIdentity, mapping: FileIdentity, kind: ImportKind, target: String, csv: CSVSettings,
        started: String = LedgerClock.now()
    ) {
        self.format = Self.currentFormat
        self.tool = "gcimport " + GCImportVersion.current
        self.input = input
        self.mapping = mapping
        self.kind = kind
        self.target = target
        self.csv = csv
        self.started = started
    }

    /// The header of the ledger at `path`, without reading the rest.
    package static func read(path: String) throws(LedgerError) -> LedgerHeader {
        guard case .header(let header)? = try LedgerReader(path: path).next() else {
            throw LedgerError(.notALedger(path: path))
        }
        return header
    }

    /// Why `self` (the ledger on disk) cannot be resumed by a run described by `other`, or nil when it can.
    /// The text says what changed and what to do.
    func mismatch(with other: LedgerHeader) -> String? {
        if format != other.format {
            return "the ledger has format \(format), this gcimport writes format \(other.format)"
        }
        if input.sha256 != other.input.sha256 || input.size != other.input.size {
            return """
                the input file changed since the ledger was started (\(input.path): \(input.size) bytes, \
                sha256 \(input.sha256.prefix(12))…; now \(other.input.size) bytes, sha256 \
                \(other.input.sha256.prefix(12))…). Resuming would send the wrong rows. Restore the original file, \
                or start over with --new-ledger
                """
        }
        if mapping.sha256 != other.mapping.sha256 {
            return """
                the mapping file changed since the ledger was started (\(mapping.path)). Rows already sent were \
                built with the old mapping. Restore it, or start over with --new-ledger
                """
        }
        if kind != other.kind {
            return "the ledger is for kind \(kind.rawValue), the mapping now says \(other.kind.rawValue)"
        }
        if target != other.target {
            return """
                the ledger was written for \(target), this run targets \(other.target). Rows marked done there \
                are not done here: use a separate --ledger for each target
                """
        }
        return nil
    }
}

/// One `run` line per invocation, so the history of a ledger is visible.
package struct LedgerRunRecord: Codable, Sendable, Equatable {
    var type = "run"
    var started: String
    /// `run`, `retry`…
    var command: String
    /// The options that shaped the run (workers, rate…); never the key.
    var options: [String: String]

    init(command: String, options: [String: String], started: String = LedgerClock.now()) {
        self.command = command
        self.options = options
        self.started = started
    }
}
