import Dispatch
import Synchronization

/// One piece of work run on a thread of its own while the caller does another, its result collected once.
final class Background<Value: Sendable, Failure: Error>: Sendable {
    private let result = Mutex<Result<Value, Failure>?>(nil)
    private let group = DispatchGroup()

    init(_ work: @escaping @Sendable () throws(Failure) -> Value) {
        group.enter()
        DispatchQueue(label: "gcimport.background").async { [self] in
            let outcome = Result(catching: work)
            result.withLock { $0 = outcome }
            group.leave()
        }
    }

    /// Waits for the work and returns what it returned, or throws what it threw.
    @available(*, noasync, message: "blocks its thread")
    func value() throws(Failure) -> Value {
        group.wait()
        // The work has stored its result before leaving the group.
        guard let outcome = result.withLock({ $0 }) else { preconditionFailure("background work left no result") }
        return try outcome.get()
    }
}
