import CSVReader
import Foundation

/// `gcimport-bench reader FILE [--chunk BYTES]`: reads every record of FILE with `CSVFileReader` and counts
/// rows, fields and field bytes (so the optimiser cannot drop the strings), then prints one line of figures
/// that `scripts/bench-reader.sh` parses:
///
///     reader rows=1000000 fields=12000000 bytes=172988385 problems=0 seconds=1.234 rows_per_s=810372
func runReaderBench(_ arguments: [String]) throws {
    guard let path = arguments.first else {
        print("usage: gcimport-bench reader FILE [--chunk BYTES] [--strings]")
        exit(64)
    }
    var options = CSVReaderOptions()
    if let flag = arguments.firstIndex(of: "--chunk"), flag + 1 < arguments.count,
        let chunk = Int(arguments[flag + 1])
    {
        options.chunkSize = chunk
    }
    let clock = ContinuousClock()
    let started = clock.now
    let reader = try CSVFileReader(path: path, options: options)
    var rows = 0
    var fields = 0
    var bytes = 0
    var problems = 0
    // Rows as the reader holds them (`nextRaw`): fields as bytes, UTF-8 checked once per row. With --strings,
    // every field becomes a String, as `next()` gives them to the mapper.
    if arguments.contains("--strings") {
        while let record = try reader.next() {
            rows += 1
            fields += record.fields.count
            problems += record.problems.count
            for field in record.fields { bytes += field.utf8.count }
        }
    } else {
        while let (count, size, found) = try reader.nextRaw({ record in
            (record.count, (0..<record.count).reduce(0) { $0 + record[$1].count }, record.problems.count)
        }) {
            rows += 1
            fields += count
            bytes += size
            problems += found
        }
    }
    problems += reader.fileProblems.count
    let elapsed = clock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = seconds > 0 ? Int(Double(rows) / seconds) : 0
    print(
        "reader rows=\(rows) fields=\(fields) bytes=\(bytes) problems=\(problems) "
            + "seconds=\(String(format: "%.3f", seconds)) rows_per_s=\(rate)")
}
