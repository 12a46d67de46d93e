import Dispatch
import Testing

@testable import GCImportKit

@Suite struct WorkQueueTests {
    private func item(_ row: Int) -> WorkItem {
        WorkItem(
            payload: ImportPayload(row: row, line: row + 1, kind: .user, params: [], email: nil, dealNumber: nil),
            earlierAttempts: 0, ledgerState: nil)
    }

    @Test func dueRetriesGoBeforeFreshRowsAndTheQueueEndsWhenAllIsDone() {
        let queue = WorkQueue(capacity: 4, retryCapacity: 4)
        #expect(queue.put(item(1)))
        #expect(queue.put(item(2)))
        let first = queue.take()
        #expect(first?.payload.row == 1)
        queue.complete(item(1), retryAt: Monotonic.now())
        #expect(queue.take()?.payload.row == 1)
        queue.complete(item(1))
        queue.finishProducing()
        #expect(queue.take()?.payload.row == 2)
        queue.complete(item(2))
        #expect(queue.take() == nil)
    }

    @Test func theProducerBlocksWhenFullAndStopReleasesIt() async {
        let queue = WorkQueue(capacity: 2, retryCapacity: 2)
        #expect(queue.put(item(1)))
        #expect(queue.put(item(2)))
        let accepted: Bool = await withCheckedContinuation { continuation in
            DispatchQueue(label: "test.producer").async { continuation.resume(returning: queue.put(self.item(3))) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { queue.stop() }
        }
        #expect(!accepted)
        #expect(queue.take() == nil)
        #expect(queue.unfinished().map(\.payload.row).sorted() == [1, 2, 3])
    }
}
