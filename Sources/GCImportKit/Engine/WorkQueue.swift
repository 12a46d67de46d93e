import Foundation

/// The bounded hand-over between the producer (reader + mapper) and the workers, plus the rows waiting
/// for a retry.
///
/// Bounded on both sides so memory stays constant for any file: the producer blocks while `capacity`
/// fresh rows wait, and also while many rows wait for a retry (a service that fails everything must not
/// pull the whole file into the retry list). Retries that are due go before fresh rows.
///
/// Rows that share an order key (the same user, the same order) are never out at the same time: a row
/// whose key is held by an earlier row (queued, in flight, or waiting for its retry) waits aside until that
/// row is final, then queues in file order. So GetCourse sees them in the file's order and ends with the
/// last row's values, while rows with other keys keep every worker busy.
final class WorkQueue: @unchecked Sendable {
    // @unchecked: every stored var below is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var fresh: [WorkItem] = []
    private var freshHead = 0
    private var retries: [(due: UInt64, item: WorkItem)] = []
    private var inFlight = 0
    private var producing = true
    private var stopped = false
    private var abandonedItems: [WorkItem] = []
    /// Order keys held by a row that is queued, in flight or waiting for a retry.
    private var heldKeys: Set<Int> = []
    /// Rows waiting for an earlier row with their key to be final, oldest first.
    private var waiting: [Int: [WorkItem]] = [:]
    private var waitingCount = 0

    let capacity: Int
    let retryCapacity: Int
    /// Rows that may wait behind an earlier row with their key before the producer pauses: enough for
    /// the rows of other keys behind them to keep flowing, bounded so memory stays constant.
    let waitingCapacity: Int

    init(capacity: Int, retryCapacity: Int, waitingCapacity: Int = 4096) {
        self.capacity = max(1, capacity)
        self.retryCapacity = max(1, retryCapacity)
        self.waitingCapacity = max(1, waitingCapacity)
    }

    /// Hands a fresh row over; blocks while the queue is full. False when the run stopped (the row was
    /// not taken and is recorded as abandoned).
    func put(_ item: WorkItem) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped
            && (fresh.count - freshHead >= capacity || retries.count >= retryCapacity
                || waitingCount >= waitingCapacity)
        {
            condition.wait()
        }
        if stopped {
            abandonedItems.append(item)
            return false
        }
        if let key = item.orderKey {
            guard heldKeys.insert(key).inserted else {
                waiting[key, default: []].append(item)
                waitingCount += 1
                return true
            }
        }
        enqueueFresh(item)
        return true
    }

    private func enqueueFresh(_ item: WorkItem) {
        if freshHead > 1024 && freshHead * 2 > fresh.count {
            fresh.removeFirst(freshHead)
            freshHead = 0
        }
        fresh.append(item)
        condition.broadcast()
    }

    /// `item` is final: the next row waiting for its key, if any, queues and holds the key in turn.
    private func release(_ item: WorkItem) {
        guard let key = item.orderKey else { return }
        guard var queue = waiting[key], !queue.isEmpty else {
            heldKeys.remove(key)
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue.isEmpty ? nil : queue
        waitingCount -= 1
        // After a stop nothing waits any more (`stop` took every row aside), so this only runs while going.
        enqueueFresh(next)
    }

    /// The producer has handed over every row.
    func finishProducing() {
        condition.lock()
        producing = false
        condition.broadcast()
        condition.unlock()
    }

    /// The next row to send: a retry that is due, else a fresh row. Blocks until there is one; nil when the
    /// run stopped or every row is finished.
    func take() -> WorkItem? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if stopped { return nil }
            let now = Monotonic.now()
            if let index = dueRetryIndex(now: now) {
                let item = retries.remove(at: index).item
                inFlight += 1
                condition.broadcast()  // room for the producer
                return item
            }
            if freshHead < fresh.count {
                let item = fresh[freshHead]
                freshHead += 1
                inFlight += 1
                condition.broadcast()
                return item
            }
            if !producing && retries.isEmpty && inFlight == 0 && waitingCount == 0 {
                condition.broadcast()  // let the other idle workers see it too
                return nil
            }
            if let nextDue = retries.map(\.due).min() {
                _ = condition.wait(until: Date(timeIntervalSinceNow: Monotonic.seconds(nextDue - min(nextDue, now))))
            } else {
                condition.wait()
            }
        }
    }

    /// A worker is done with `item`; when `retryAt` is given the row goes back for another attempt then.
    func complete(_ item: WorkItem, retryAt: UInt64? = nil) {
        condition.lock()
        inFlight -= 1
        if let retryAt, !stopped {
            retries.append((retryAt, item))
        } else {
            if retryAt != nil { abandonedItems.append(item) }
            release(item)
        }
        condition.broadcast()
        condition.unlock()
    }

    /// A worker took `item` but did not send it because the run is stopping.
    func abandon(_ item: WorkItem) {
        condition.lock()
        inFlight -= 1
        abandonedItems.append(item)
        release(item)
        condition.broadcast()
        condition.unlock()
    }

    /// Stops handing out rows; rows not yet sent are kept as abandoned.
    func stop() {
        condition.lock()
        if !stopped {
            stopped = true
            abandonedItems.append(contentsOf: fresh[freshHead...])
            abandonedItems.append(contentsOf: retries.map(\.item))
            for queue in waiting.values { abandonedItems.append(contentsOf: queue) }
            fresh.removeAll()
            freshHead = 0
            retries.removeAll()
            waiting.removeAll()
            waitingCount = 0
            heldKeys.removeAll()
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Rows taken over but never finished (queued, waiting for a retry, or dropped on stop). Read after the
    /// workers have ended.
    func unfinished() -> [WorkItem] {
        condition.lock()
        defer { condition.unlock() }
        return abandonedItems + fresh[freshHead...] + retries.map(\.item) + waiting.values.joined()
    }

    private func dueRetryIndex(now: UInt64) -> Int? {
        var best: Int?
        for (index, entry) in retries.enumerated() where entry.due <= now {
            if best.map({ retries[$0].due > entry.due }) ?? true { best = index }
        }
        return best
    }
}
