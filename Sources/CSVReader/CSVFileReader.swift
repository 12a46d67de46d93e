/// Reads a delimited text file record by record in constant memory, through libcsv.
///
/// `init` opens the file, settles the encoding and delimiter (given, or detected and flagged as such) and
/// reads the header. `next()` then returns every data row in order. A row with a problem (ragged, a broken
/// quote, bytes that are not text, a field over the size cap) is still returned, with `problems` filled, so
/// later stages can mark it invalid: no data row vanishes. Only I/O failures throw.
///
/// Choices a user sees:
/// - spaces and tabs around an unquoted field are trimmed (libcsv's default; a stray space before `;` in a
///   hand-edited file is never data), spaces inside quotes are kept;
/// - blank lines (empty or only spaces) are skipped but counted in line numbers;
/// - Excel's `sep=;` first line names the delimiter (unless one is given) and is not the header;
/// - a quote in the middle of an unquoted field, or text after a closing quote, is an error; the rest of that
///   line is split at the delimiter without quote handling so the row still has its values.
package final class CSVFileReader {
    // MARK: What the file is

    let path: String
    /// Trimmed, BOM stripped; "1", "2", … when `options.hasHeader` is false.
    package let header: [String]
    /// Physical line of the header (0 when there is none).
    package let headerLine: Int
    package let delimiter: UInt8
    package let delimiterWasDetected: Bool
    package let encoding: CSVEncoding
    package let encodingWasDetected: Bool
    /// What the detection went by; nil when the encoding was given.
    package let encodingEvidence: CSVEncodingEvidence?
    package let hasBOM: Bool
    /// Bytes in the file when it was opened; nil for a pipe.
    package let fileSize: Int?
    /// Problems not tied to one data row (the header, an empty file, giving up on resyncing); grows while
    /// reading.
    package private(set) var fileProblems: [CSVProblem]
    /// Blank lines skipped so far.
    package var blankLineCount: Int { tokenizer.blankLines }
    /// Data rows returned so far.
    private(set) var rowCount = 0

    private let tokenizer: LibCSVTokenizer
    private let decoder: RecordDecoder
    private var firstRow: CSVRecord?
    private var tokenizerProblemsSeen = 0

    // MARK: Opening

    /// Opens `path` and reads its header. Throws only when the file cannot be read at all.
    package init(path: String, options: CSVReaderOptions = .init()) throws(CSVReadError) {
        self.path = path
        if let given = options.delimiter {
            guard given != 0x22, given != 0x0A, given != 0x0D, given != 0x20, given < 0x80 else {
                throw CSVReadError(
                    path: path, message: "cannot use byte \(given) as the delimiter; use ';', ',', '|' or TAB")
            }
        }
        let file = try InputFile(path: path)
        fileSize = file.size
        let tokenizer = try LibCSVTokenizer(
            file: file, maxFieldBytes: options.maxFieldBytes, chunkSize: options.chunkSize)
        let head = try FileSniffer.head(of: file, tokenizer: tokenizer)
        try FileSniffer.rejectNonText(head, path: path)
        let hasBOM = FileSniffer.hasUTF8BOM(head)
        let evidence = options.encoding == nil ? try FileSniffer.detectEncoding(of: file, head: head) : nil
        // A UTF-8 BOM says what the file is: its odd bad bytes are then reported row by row.
        let encoding = options.encoding ?? (hasBOM ? .utf8 : evidence?.encoding ?? .utf8)
        let afterBOM = head.dropFirst(hasBOM ? 3 : 0)
        let separator = FileSniffer.separatorLine(afterBOM)
        let delimiter =
            options.delimiter ?? separator?.delimiter
            ?? FileSniffer.detectDelimiter(afterBOM.dropFirst(separator?.length ?? 0))
        tokenizer.start(
            delimiter: delimiter, skipping: (hasBOM ? 3 : 0) + (separator?.length ?? 0),
            lines: separator == nil ? 0 : 1)
        let decoder = RecordDecoder(
            encoding: encoding, evidence: evidence, maxFieldBytes: tokenizer.maxFieldBytes)

        self.tokenizer = tokenizer
        self.decoder = decoder
        self.hasBOM = hasBOM
        self.encoding = encoding
        self.encodingWasDetected = options.encoding == nil
        self.encodingEvidence = evidence
        self.delimiter = delimiter
        self.delimiterWasDetected = options.delimiter == nil

        var problems: [CSVProblem] = []
        guard try tokenizer.nextRecord() else {
            header = []
            headerLine = 0
            fileProblems = [
                CSVProblem(
                    line: 1, kind: .emptyFile,
                    message: "the file has no header and no rows (it is empty or only blank lines)")
            ]
            return
        }
        let line = tokenizer.sink.pointee.recordStartLine
        if options.hasHeader {
            var raw: [Int: [UInt8]] = [:]
            let names = decoder.decode(tokenizer.sink, row: nil, problems: &problems, rawFields: &raw).map(
                HeaderCheck.trim)
            problems.append(contentsOf: tokenizer.recordProblems)
            problems.append(contentsOf: HeaderCheck.problems(in: names, line: line))
            header = names
            headerLine = line
        } else {
            let count = tokenizer.sink.pointee.fieldCount
            header = (1...max(count, 1)).map(String.init)
            headerLine = 0
        }
        fileProblems = problems
        tokenizerProblemsSeen = 0
        if !options.hasHeader { firstRow = makeRecord() }
    }

    // MARK: Reading

    /// The next data row, or nil at the end of the file. Throws only on an I/O error.
    package func next() throws(CSVReadError) -> CSVRecord? {
        if let row = firstRow {
            firstRow = nil
            return row
        }
        guard try tokenizer.nextRecord() else {
            collectFileProblems()
            return nil
        }
        return makeRecord()
    }

    /// The next data row without a string per field, for passes that need no text (`inspect`, the reader
    /// benchmark): the same rows and problems as `next()`. A row with problems also comes decoded. UTF-8 is
    /// checked once over the whole row. Nil at the end of the file.
    package func nextRaw<T>(_ body: (CSVRawRecord) -> T) throws(CSVReadError) -> T? {
        if let row = firstRow {
            firstRow = nil
            return CSVRawRecord.withLayout(of: row, body)
        }
        guard try tokenizer.nextRecord() else {
            collectFileProblems()
            return nil
        }
        let sink = tokenizer.sink
        let clean =
            tokenizer.recordProblems.isEmpty && sink.pointee.fieldCount == header.count && decoder.isClean(sink)
        let record: CSVRecord?
        if clean {
            rowCount += 1
            collectFileProblems()
            record = nil
        } else {
            record = makeRecord()
        }
        return body(
            CSVRawRecord(
                row: rowCount, line: sink.pointee.recordStartLine, problems: record?.problems ?? [],
                decoded: record, isUTF8: clean && encoding == .utf8, base: sink.pointee.bytes,
                ends: sink.pointee.fieldEnds))
    }

    /// Reads past the next data row without decoding it (a resume passing rows the ledger shows done);
    /// returns its row number, or nil at the end of the file. Rows are numbered as `next()` numbers them.
    package func skip() throws(CSVReadError) -> Int? {
        if let row = firstRow {
            firstRow = nil
            return row.row
        }
        guard try tokenizer.nextRecord() else {
            collectFileProblems()
            return nil
        }
        rowCount += 1
        collectFileProblems()
        return rowCount
    }

    /// The number the next data row will have.
    package var nextRow: Int { firstRow?.row ?? rowCount + 1 }

    /// Builds the record now in the tokenizer's sink.
    private func makeRecord() -> CSVRecord {
        rowCount += 1
        let sink = tokenizer.sink
        let line = sink.pointee.recordStartLine
        var problems: [CSVProblem] = []
        var rawFields: [Int: [UInt8]] = [:]
        let fields = decoder.decode(sink, row: rowCount, problems: &problems, rawFields: &rawFields)
        if tokenizer.recordProblems.isEmpty {
            let count = sink.pointee.fieldCount
            if count != header.count {
                problems.append(raggedProblem(line: line, count: count, kept: fields.count))
            }
        } else {
            for var problem in tokenizer.recordProblems {
                problem.row = rowCount
                problems.append(problem)
            }
        }
        if !problems.isEmpty { HeaderCheck.quoteValues(of: fields, in: &problems) }
        collectFileProblems()
        return CSVRecord(row: rowCount, line: line, fields: fields, problems: problems, rawFields: rawFields)
    }

    private func raggedProblem(line: Int, count: Int, kept: Int) -> CSVProblem {
        let name = CSVDelimiter.quoted(delimiter)
        var message = "\(count) fields, the header has \(header.count)"
        if count < header.count {
            let missing = header[count].isEmpty ? "" : " «\(header[count])»"
            message +=
                " (nothing from column \(count + 1)\(missing) on); a value may be missing its \(name), "
                + "or a line break inside a value is not quoted"
        } else {
            message += " (extra from column \(header.count + 1)); a value containing \(name) must be quoted"
        }
        if kept < count { message += "; only the first \(kept) fields were kept" }
        let column = min(count, header.count) + 1
        return CSVProblem(line: line, column: column, row: rowCount, kind: .raggedRow, message: message)
    }

    private func collectFileProblems() {
        let found = tokenizer.fileProblems
        guard found.count > tokenizerProblemsSeen else { return }
        fileProblems.append(contentsOf: found[tokenizerProblemsSeen...])
        tokenizerProblemsSeen = found.count
    }
}
