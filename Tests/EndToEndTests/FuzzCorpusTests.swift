import Foundation
import Testing

/// Every saved fuzz input (seeds and regressions under Fuzz/corpus) replayed through its target as the plain
/// build makes it: the invariants the fuzzer checks hold in the normal suite too, without libFuzzer.
@Test(arguments: ["reader", "mapping", "answer", "ledger", "sandbox-form"])
func savedFuzzInputsKeepTheirInvariants(target: String) throws {
    let corpus = BuiltBinary.repositoryRoot.appendingPathComponent("Fuzz/corpus/\(target)")
    let inputs = try FileManager.default.contentsOfDirectory(atPath: corpus.path).count
    #expect(inputs > 0)
    let result = try BuiltBinary.run([corpus.path], product: "fuzz-\(target)")
    #expect(result.status == 0, "\(result.stderr.prefix(2000))")
    #expect(result.stdout.contains("replayed \(inputs) input(s)"))
}
