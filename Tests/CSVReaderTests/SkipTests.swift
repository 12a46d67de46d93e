import Testing

@testable import CSVReader

// `skip()`: a resume passes rows the ledger shows done without decoding them; the rows after must be numbered
// and read exactly as if every row had been read.

@Test(arguments: [true, false])
func skippingRowsKeepsNumbersLinesAndTheRowsAfter(hasHeader: Bool) throws {
    let text = "a;b\n1;\"two\nlines\"\n3;x\n\n5;y\n6;\"z\"\"\"\n"
    let file = try TemporaryFile(bytes: Array(text.utf8))
    var options = CSVReaderOptions()
    options.hasHeader = hasHeader
    let all = try readAll(path: file.path, options: options).records

    for pattern in [[true, false], [false, true], [true, true, false]] {
        let reader = try CSVFileReader(path: file.path, options: options)
        var seen: [CSVRecord] = []
        var index = 0
        while true {
            let skips = pattern[index % pattern.count]
            index += 1
            #expect(reader.nextRow == index)
            if skips {
                guard let row = try reader.skip() else { break }
                #expect(row == index)
            } else {
                guard let record = try reader.next() else { break }
                seen.append(record)
            }
        }
        #expect(reader.rowCount == all.count)
        let expected = all.enumerated().filter { !pattern[$0.offset % pattern.count] }.map(\.element)
        #expect(seen == expected)
    }
}
