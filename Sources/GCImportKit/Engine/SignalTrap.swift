import Dispatch
import Foundation
import Synchronization

/// Ctrl-C and SIGTERM through DispatchSource: the first asks for a graceful stop, the second for an
/// immediate exit. The default disposition is ignored while the trap is set, so the handlers run on a
/// queue rather than in signal context.
package final class SignalTrap: Sendable {
    /// Ctrl-C and `kill`'s default.
    static let defaultSignals: [Int32] = [SIGINT, SIGTERM]

    private let sources: SourceList
    private let numbers: [Int32]

    /// - Parameters:
    ///   - first: called on the first signal (stop taking rows, let in-flight calls finish).
    ///   - second: called on the second (flush what can be flushed and exit now).
    package init(
        signals: [Int32] = SignalTrap.defaultSignals, first: @escaping @Sendable (Int32) -> Void,
        second: @escaping @Sendable (Int32) -> Void
    ) {
        let queue = DispatchQueue(label: "gcimport.signals")
        var made: [any DispatchSourceSignal] = []
        let counter = SignalCounter()
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let seen = counter.value.add(1, ordering: .relaxed).newValue
                if seen == 1 { first(number) } else { second(number) }
            }
            source.resume()
            made.append(source)
        }
        self.numbers = signals
        sources = SourceList(sources: made)
    }

    /// Stops trapping and restores the default handling.
    package func cancel() {
        for source in sources.sources { source.cancel() }
        for number in numbers { signal(number, SIG_DFL) }
    }
}

/// `@unchecked Sendable`: the array is written once in `SignalTrap.init` and only read afterwards;
/// DispatchSource objects themselves are thread-safe.
private final class SourceList: @unchecked Sendable {
    let sources: [any DispatchSourceSignal]
    init(sources: [any DispatchSourceSignal]) { self.sources = sources }
}

private final class SignalCounter: Sendable {
    let value = Atomic<Int>(0)
}
