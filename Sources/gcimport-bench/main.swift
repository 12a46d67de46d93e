import Foundation

// Release-built benchmark drivers (`swift run -c release gcimport-bench MODE ARGS`). The scripts in
// scripts/bench-*.sh build this target, run each mode beside its baseline and print the figures.

/// Each stage registers one mode here, one line each.
let modes: [String: ([String]) throws -> Void] = [
    "reader": runReaderBench,
    "run-fill-ledger": RunBench.fillLedger,
    "sandbox": SandboxBench.run,
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first, let run = modes[mode] else {
    print("usage: gcimport-bench MODE ARGS   (modes: \(modes.keys.sorted().joined(separator: ", ")))")
    exit(64)
}
try run(Array(arguments.dropFirst()))
