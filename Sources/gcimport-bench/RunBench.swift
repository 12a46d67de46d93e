import CSVReader
import Foundation
import GCImportKit

/// `gcimport-bench run-fill-ledger CSV MAPPING LEDGER TARGET`: writes a ledger in which every row of CSV is
/// `ok`, with the header `gcimport run CSV --mapping MAPPING --endpoint TARGET` expects, so the resume cost
/// (skipping done rows) can be timed without first importing a million rows.
enum RunBench {
    static func fillLedger(_ arguments: [String]) throws {
        guard arguments.count == 4 else {
            print("usage: gcimport-bench run-fill-ledger CSV MAPPING LEDGER TARGET_URL")
            exit(64)
        }
        let (input, mapping, ledger, endpoint) = (arguments[0], arguments[1], arguments[2], arguments[3])
        let request = RunRequest(
            inputPath: input, mappingPath: mapping, ledgerPath: ledger, target: try ImportTarget.endpoint(endpoint),
            newLedger: true, command: "bench-fill", options: [:])
        let opened = try RunSetup.open(request)
        let started = Date()
        let reader = try CSVFileReader(path: input, options: opened.readerOptions)
        var rows = 0
        while let record = try reader.next() {
            try opened.writer.write(
                LedgerEvent(row: record.row, line: record.line, state: .sent, attempt: 1))
            try opened.writer.write(
                LedgerEvent(
                    row: record.row, line: record.line, state: .ok, attempt: 1, httpStatus: 200,
                    userID: String(record.row)))
            rows += 1
        }
        try opened.writer.close()
        let seconds = Date().timeIntervalSince(started)
        print("filled \(ledger): \(rows) rows ok (\(rows * 2) events) in \(String(format: "%.1f", seconds)) s")
    }
}
