import Foundation
import Testing

@testable import GCImportKit

@Suite struct RunSummaryTests {
    private func summary(stop: StopReason? = nil) -> RunSummary {
        var counts = RowCounts()
        counts.ok = 7
        counts.rejected = 1
        counts.invalid = 1
        counts.pending = 1
        return RunSummary(
            rows: 10, counts: counts, elapsedSeconds: 2, sentThisRun: 8, calls: 9, stopReason: stop, problems: [])
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let text = summary(stop: .interrupted).json(ledgerPath: "a/b.ledger.jsonl")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for key in [
            "rows", "ok", "rejected", "failed", "unknown", "invalid", "skipped", "ledger", "elapsed_s", "rate_per_s",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["ledger"] as? String == "a/b.ledger.jsonl")
        #expect(object["rate_per_s"] as? Double == 4)
        #expect(object["status"] as? String == "interrupted")
        #expect(object["pending"] as? Int == 1)
    }

    @Test func textCountsEveryStateAndWhatIsLeft() {
        let text = summary().text()
        #expect(text.hasPrefix("Done in 2.0 s: 10 rows, 8 sent in this run"))
        #expect(text.contains("ok 7 · rejected 1 · failed 0 · unknown 0 · invalid 1 · skipped 0 · not yet sent 1"))
        #expect(!summary().allDone)
    }

    @Test func aSentRowCountsAsUnknown() {
        var counts = RowCounts()
        counts.add(.sent)
        counts.add(nil)
        #expect(counts.unknown == 1)
        #expect(counts.pending == 1)
        #expect(counts.total == 2)
    }
}
