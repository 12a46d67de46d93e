import Foundation

@testable import CSVReader
@testable import GCImportKit

/// A fresh temporary folder per test, removed by the caller's `defer`.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func sampleHeader(inputHash: String = "aa", mappingHash: String = "bb", target: String = "sandbox") -> LedgerHeader {
    LedgerHeader(
        input: FileIdentity(path: "/data/users.csv", size: 100, sha256: inputHash),
        mapping: FileIdentity(path: "/data/users.yaml", size: 10, sha256: mappingHash),
        kind: .user,
        target: target,
        csv: .init(delimiter: ";", encoding: .utf8, header: true),
        started: "2026-11-23T05:00:00.000Z"
    )
}
