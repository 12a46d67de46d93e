import Dispatch
import Foundation
import Testing

@testable import GCImportKit

@Suite struct WorkQueueTests {
    private func item(_ row: Int, key: Int? = nil) -> WorkItem {
        WorkItem(
            payload: ImportPayload(row: row, line: row + 1, kind: .user, params: [], email: nil, dealNumber: nil),
            earlierAttempts: 0, ledgerState: nil, orderKey: key)
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

    @Test func aRowWaitsForTheEarlierRowWithItsKeyIncludingItsRetries() {
        let queue = WorkQueue(capacity: 8, retryCapacity: 8)
        #expect(queue.put(item(1, key: 7)))
        #expect(queue.put(item(2, key: 7)))
        #expect(queue.put(item(3, key: 9)))
        #expect(queue.put(item(4, key: 7)))
        queue.finishProducing()
        // Row 2 and 4 wait behind row 1; row 3 has a key of its own and goes at once.
        #expect(queue.take()?.payload.row == 1)
        #expect(queue.take()?.payload.row == 3)
        queue.complete(item(3, key: 9))
        // Row 1 fails and waits for its retry: its key stays held, row 2 still waits.
        queue.complete(item(1, key: 7), retryAt: Monotonic.now())
        #expect(queue.take()?.payload.row == 1)
        queue.complete(item(1, key: 7))
        #expect(queue.take()?.payload.row == 2)
        queue.complete(item(2, key: 7))
        #expect(queue.take()?.payload.row == 4)
        queue.complete(item(4, key: 7))
        #expect(queue.take() == nil)
    }

    @Test func rowsOfOneKeyGoOneAtATimeWhileOtherKeysKeepEveryWorkerBusy() async {
        let queue = WorkQueue(capacity: 4, retryCapacity: 4, waitingCapacity: 64)
        let tracker = InFlightTracker()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for worker in 0..<4 {
                group.enter()
                DispatchQueue(label: "test.worker.\(worker)").async {
                    while let taken = queue.take() {
                        tracker.begin(taken)
                        usleep(200)
                        tracker.end(taken)
                        queue.complete(taken)
                    }
                    group.leave()
                }
            }
            DispatchQueue(label: "test.producer").async {
                // Every even row shares key 0; odd rows have keys of their own.
                for row in 1...200 { _ = queue.put(self.item(row, key: row % 2 == 0 ? 0 : row)) }
                queue.finishProducing()
            }
            group.notify(queue: .global()) { done.resume() }
        }
        #expect(tracker.maxSameKey == 1)
        #expect(tracker.maxInFlight > 1)
        #expect(tracker.order(ofKey: 0) == Array(stride(from: 2, through: 200, by: 2)))
        #expect(tracker.finished == 200)
    }

    @Test func stopTakesTheWaitingRowsAsideToo() {
        let queue = WorkQueue(capacity: 4, retryCapacity: 4)
        #expect(queue.put(item(1, key: 5)))
        #expect(queue.put(item(2, key: 5)))
        let taken = queue.take()
        queue.stop()
        if let taken { queue.abandon(taken) }
        #expect(queue.unfinished().map(\.payload.row).sorted() == [1, 2])
        #expect(queue.take() == nil)
    }
}

/// Watches which rows are out at once, from the workers' threads.
private final class InFlightTracker: @unchecked Sendable {
    // @unchecked: every var is touched only under `lock`.
    private let lock = NSLock()
    private var out: [Int: Int] = [:]
    private var outCount = 0
    private var started: [Int: [Int]] = [:]
    private(set) var maxSameKey = 0
    private(set) var maxInFlight = 0
    private(set) var finished = 0

    func begin(_ item: WorkItem) {
        lock.lock()
        defer { lock.unlock() }
        let key = item.orderKey ?? -1
        out[key, default: 0] += 1
        outCount += 1
        started[key, default: []].append(item.payload.row)
        maxSameKey = max(maxSameKey, out[key] ?? 0)
        maxInFlight = max(maxInFlight, outCount)
    }

    func end(_ item: WorkItem) {
        lock.lock()
        defer { lock.unlock() }
        out[item.orderKey ?? -1, default: 0] -= 1
        outCount -= 1
        finished += 1
    }

    func order(ofKey key: Int) -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        return started[key] ?? []
    }
}
