// libFuzzer target for the ledger reader (scripts/fuzz.sh ledger): a valid header followed by any bytes
// (torn, truncated, reordered, duplicated lines) gives a snapshot or a `LedgerError`, never a crash. When a
// snapshot loads, its per-row states agree with reading the same lines one by one.
import FuzzSupport

@testable import GCImportKit

private let file = FuzzFile(name: "ledger.jsonl")
private let header = Array(
    (#"{"csv":{"delimiter":";","encoding":"utf-8","header":true},"format":1,"#
        + #""input":{"path":"/in.csv","sha256":"00","size":1},"kind":"user","#
        + #""mapping":{"path":"/m.yaml","sha256":"00","size":1},"started":"2026-01-01T00:00:00.000Z","#
        + #""target":"sandbox","tool":"gcimport 0.1.0","type":"header"}"# + "\n").utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLedger(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = header + Array(UnsafeBufferPointer(start: data, count: size))
    bytes.withUnsafeBufferPointer { file.write($0) }
    guard let snapshot = try? LedgerSnapshot.load(path: file.path) else { return 0 }
    // The same file read line by line with the full parser must give the same last state per row.
    guard let reader = try? LedgerReader(path: file.path) else { return 0 }
    var states: [Int: RowState] = [:]
    while let line = try? reader.next() {
        if case .event(let event) = line, event.row >= 1 { states[event.row] = event.state }
    }
    for (row, state) in states {
        FuzzCheck.that(snapshot.state(ofRow: row) == state, "row \(row): snapshot and full reading differ")
    }
    return 0
}

@main struct FuzzLedgerMain {
    static func main() { FuzzMain.run(fuzzLedger) }
}
