import Testing

@testable import CSVReader
@testable import GCImportKit

/// A read error in the middle of a file (a failing disk, a network share gone) stops the dry run, but every
/// row read before it still reaches the report and the rejects and payloads files.
@Suite struct DryRunPipelineTests {
    /// Numbered one-field records, then an I/O error where the file would go on (or the end of the file).
    private final class NumberedSource: RecordSource, @unchecked Sendable {
        let count: Int
        let fails: Bool
        private var produced = 0

        init(count: Int, thenFails fails: Bool) {
            self.count = count
            self.fails = fails
        }

        func next() throws -> CSVRecord? {
            guard produced < count else {
                if fails { throw CSVReadError(path: "in.csv", message: "read failed (Input/output error)") }
                return nil
            }
            produced += 1
            return CSVRecord(row: produced, line: produced + 1, fields: [String(produced)])
        }
    }

    /// Runs a pass whose work is the rows' numbers; returns what was folded, in order, and the error thrown.
    private static func pass(
        _ source: NumberedSource, workers: Int, batchSize: Int = 100
    ) -> (folded: [Int], error: CSVReadError?) {
        let work = (0..<workers).map { _ in { @Sendable (rows: RowBatch) in (0..<rows.count).map(rows.row(at:)) } }
        var folded: [Int] = []
        do {
            try DryRunPipeline.each(of: source, batchSize: batchSize, work: work) { folded += $0 }
            return (folded, nil)
        } catch {
            return (folded, error as? CSVReadError)
        }
    }

    @Test(arguments: [1, 2, 4])
    func rowsReadBeforeAnErrorAreFoldedBeforeItIsThrown(workers: Int) {
        // Two full batches of 100 and half of a third, then the error.
        let (folded, error) = Self.pass(NumberedSource(count: 250, thenFails: true), workers: workers)
        #expect(folded == Array(1...250))
        #expect(error?.message == "read failed (Input/output error)")
    }

    @Test(arguments: [1, 2, 4])
    func anErrorRightAfterAFullBatchLosesNothing(workers: Int) {
        let (folded, error) = Self.pass(NumberedSource(count: 300, thenFails: true), workers: workers)
        #expect(folded == Array(1...300))
        #expect(error != nil)
    }

    @Test(arguments: [1, 2, 4])
    func anErrorBeforeTheFirstRowFoldsNothing(workers: Int) {
        let (folded, error) = Self.pass(NumberedSource(count: 0, thenFails: true), workers: workers)
        #expect(folded.isEmpty)
        #expect(error != nil)
    }

    @Test(arguments: [1, 2, 4])
    func theEndOfTheFileFoldsEveryRowInOrder(workers: Int) {
        let (folded, error) = Self.pass(NumberedSource(count: 1_234, thenFails: false), workers: workers)
        #expect(folded == Array(1...1_234))
        #expect(error == nil)
    }
}
