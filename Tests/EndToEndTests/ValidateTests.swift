import Foundation
import Testing

/// `gcimport validate` and `gcimport mapping init` as a user runs them.
@Suite struct ValidateTests {
    let fixtures = "Tests/GCImportKitTests/Fixtures/mapping"

    @Test func cleanSamplesValidateWithZeroErrors() throws {
        for (sample, mapping) in [
            ("samples/users.csv", "mapping/users.yaml"), ("samples/deals.csv", "mapping/deals.yaml"),
        ] {
            let result = try BuiltBinary.run(["validate", sample, "--mapping", mapping])
            #expect(result.status == 0, "\(sample): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("invalid 0"))
        }
    }

    @Test func invalidRowsExitOneAndNameLineColumnValue() throws {
        let result = try BuiltBinary.run(["validate", "\(fixtures)/users.csv", "--mapping", "\(fixtures)/users.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("rows 6  valid 3  invalid 2  skipped 1  duplicates 1"))
        #expect(
            result.stdout.contains(
                "users.csv:3:1 (Email): user.email: not an email address: no «@» (value «bad-email»)"))
        #expect(result.stdout.contains("«ivan@mail.ru» on 2 rows: lines 2, 4"))
    }

    @Test func dirtySampleFlagsEveryBadRowWithLineAndColumn() throws {
        let result = try BuiltBinary.run([
            "validate", "samples/users-dirty.csv", "--mapping", "mapping/users-dirty.yaml", "--json",
        ])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let errors = try #require(object["errors"] as? [[String: Any]])
        let places = errors.map {
            "\($0["line"] as? Int ?? 0):\($0["column"] as? Int ?? 0):\($0["field"] as? String ?? "")"
        }
        #expect(
            places == [
                "6:1:user.email", "11:1:user.email", "15:4:user.phone", "19:4:user.phone", "23:8:user.group_name",
                "27:8:user.group_name", "31:7:csv", "38:1:user.email",
            ])
        #expect(object["duplicates"] as? Int == 1)
        #expect(errors.allSatisfy { ($0["file"] as? String) == "samples/users-dirty.csv" })
    }

    @Test func jsonReportParses() throws {
        let result = try BuiltBinary.run([
            "validate", "\(fixtures)/users.csv", "--mapping", "\(fixtures)/users.yaml", "--json",
        ])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["rows"] as? Int == 6)
        #expect(object["invalid"] as? Int == 2)
        #expect(object["errors_total"] as? Int == 2)
    }

    @Test func showPrintsPayloadAndMaskedBody() throws {
        let result = try BuiltBinary.run([
            "validate", "\(fixtures)/users.csv", "--mapping", "\(fixtures)/users.yaml", "--show", "1",
        ])
        #expect(result.stdout.contains("\"email\": \"ivan@mail.ru\""))
        #expect(result.stdout.contains("action=add&key=***&params="))
    }

    @Test func threadsOptionKeepsTheReportAndRejectsOutOfRangeCounts() throws {
        let arguments = ["validate", "\(fixtures)/users.csv", "--mapping", "\(fixtures)/users.yaml"]
        let single = try BuiltBinary.run(arguments + ["--threads", "1"])
        let several = try BuiltBinary.run(arguments + ["--threads", "4"])
        #expect(single.status == 1)
        #expect(several.status == 1)
        #expect(several.stdout == single.stdout)
        let zero = try BuiltBinary.run(arguments + ["--threads", "0"])
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--threads takes a count from 1 to 64"))
    }

    @Test func badMappingExits65WithPlace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let mapping = dir.appendingPathComponent("bad.yaml")
        try Data("kind: user\nfields:\n  user.emial: Email\n".utf8).write(to: mapping)
        let result = try BuiltBinary.run(["validate", "\(fixtures)/users.csv", "--mapping", mapping.path])
        #expect(result.status == 65)
        #expect(
            result.stderr.contains(
                "bad.yaml:3:3: fields.user.emial: unknown payload field (did you mean «user.email»?)"))
        let missing = try BuiltBinary.run(["validate", "no-such.csv", "--mapping", "\(fixtures)/users.yaml"])
        #expect(missing.status == 65)
    }

    @Test func usageErrorsExit64() throws {
        #expect(try BuiltBinary.run(["validate", "\(fixtures)/users.csv"]).status == 64)
        #expect(try BuiltBinary.run(["validate", "x.csv", "--mapping", "m.yaml", "--delimiter", ":"]).status == 64)
    }

    @Test func mappingInitWritesAMappingThatValidatesTheSamples() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (sample, kind) in [("samples/users.csv", "user"), ("samples/deals.csv", "deal")] {
            let output = dir.appendingPathComponent("\(kind).yaml").path
            let initResult = try BuiltBinary.run(["mapping", "init", sample, "-o", output])
            #expect(initResult.status == 0, "\(initResult.stderr)")
            let text = try String(contentsOfFile: output, encoding: .utf8)
            #expect(text.contains("kind: \(kind)"))
            #expect(text.contains("user.email:"))
            let validate = try BuiltBinary.run(["validate", sample, "--mapping", output])
            #expect(validate.status == 0, "\(sample) with generated mapping:\n\(text)\n\(validate.stdout)")
        }
    }
}
