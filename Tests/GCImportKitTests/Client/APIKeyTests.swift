import Foundation
import Testing

@testable import GCImportKit

@Suite struct APIKeyTests {
    @Test func fromEnvironmentAndMasked() throws {
        let key = try APIKey.load(keyFile: nil, environment: ["GETCOURSE_API_KEY": "  s3cr3t\n"])
        #expect(key.secret == "s3cr3t")
        #expect("\(key)" == "***")
        #expect(String(reflecting: key) == "APIKey(***)")
        #expect(key.redact("echo s3cr3t back") == "echo *** back")
    }

    @Test func missingSaysWhereToPutIt() {
        #expect(throws: APIKeyError.missing) { try APIKey.load(keyFile: nil, environment: [:]) }
        #expect(APIKeyError.missing.description.contains("GETCOURSE_API_KEY"))
    }

    @Test func fromFileFirstNonEmptyLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "\n  file-key  \nignored\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try APIKey.load(keyFile: path, environment: ["GETCOURSE_API_KEY": "env"]).secret == "file-key")
        try "\n\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: APIKeyError.emptyFile(path: path)) { try APIKey.load(keyFile: path, environment: [:]) }
        #expect(throws: APIKeyError.self) { try APIKey.load(keyFile: path + ".missing", environment: [:]) }
    }
}
