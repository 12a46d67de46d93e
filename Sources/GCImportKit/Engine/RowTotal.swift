import CSVReader
import Dispatch
import Synchronization

/// The number of data rows in the input, counted by a quick second pass over the file while the run goes,
/// so the progress line can show done/total and an ETA.
package final class RowTotal: Sendable {
    private let value = Atomic<Int>(-1)
    private let group = DispatchGroup()

    /// Starts counting `path` in the background with the reader options the run uses.
    init(countingPath path: String, options: CSVReaderOptions) {
        group.enter()
        DispatchQueue(label: "gcimport.rowtotal", qos: .utility).async { [self] in
            defer { group.leave() }
            guard let reader = try? CSVFileReader(path: path, options: options) else { return }
            var count = 0
            // Counting needs no field decoded.
            while let row = try? reader.skip() {
                count = row
            }
            value.store(count, ordering: .releasing)
        }
    }

    /// A total already known (tests, `retry` from a ledger).
    init(known: Int) {
        value.store(known, ordering: .releasing)
    }

    /// The total, once counted.
    var current: Int? {
        let count = value.load(ordering: .acquiring)
        return count >= 0 ? count : nil
    }

    /// Waits for the count (at most `seconds`).
    @available(*, noasync, message: "blocks its thread")
    func wait(seconds: Double = 600) -> Int? {
        _ = group.wait(timeout: .now() + seconds)
        return current
    }
}
