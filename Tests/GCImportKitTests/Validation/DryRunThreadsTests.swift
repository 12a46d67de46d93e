import Foundation
import Testing

@testable import GCImportKit

/// The dry run maps batches on several threads; what it reports and writes must not depend on how many.
@Suite struct DryRunThreadsTests {
    /// 12,000 rows (a dozen batches): valid, invalid, skipped and repeated rows mixed through the file.
    private static func writeMixedFile() throws -> String {
        var text = "\u{FEFF}Email;Имя;Телефон;Группы\n"
        for index in 0..<12_000 {
            switch index % 10 {
            case 3: text += "broken-\(index);Пётр;+7 900 000 00 00;VIP\n"
            case 5: text += ";Без почты;;\n"
            case 7: text += "user\(index - 7)@mail.ru;Повтор;8 900 123 45 67;Клиенты\n"
            case 8: text += "user\(index)@mail.ru;Анна;телефон;VIP\n"
            default: text += "user\(index)@mail.ru;Иван;8 900 123 45 \(index % 90 + 10);VIP, Клиенты\n"
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-threads-\(UUID()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private struct Outcome: Equatable {
        var text: String
        var json: String
        var rejects: Data?
        var payloads: Data?
    }

    private static func run(_ file: String, threads: Int) throws -> Outcome {
        let mapping = try Mapping.parse(
            yaml: """
                kind: user
                csv: {delimiter: ";"}
                skip:
                  - {column: Имя, equals: Без почты}
                fields:
                  user.email: {column: Email, transforms: [email], required: true}
                  user.first_name: Имя
                  user.phone: {column: Телефон, transforms: [phone]}
                  user.group_name: {column: Группы, split: ","}
                """, path: "threads.yaml")
        var options = DryRunOptions()
        options.threads = threads
        options.show = 2
        options.errorLimit = 50
        let base = file + ".\(threads)"
        options.rejectsPath = base + ".rejects.csv"
        options.payloadsPath = base + ".jsonl"
        let report = try DryRun(file: file, mapping: mapping, options: options).run()
        return Outcome(
            text: DryRunRenderer.text(report), json: DryRunRenderer.json(report),
            rejects: FileManager.default.contents(atPath: base + ".rejects.csv"),
            payloads: FileManager.default.contents(atPath: base + ".jsonl"))
    }

    @Test func reportsAndFilesAreTheSameWhateverTheThreadCount() throws {
        let file = try Self.writeMixedFile()
        let single = try Self.run(file, threads: 1)
        #expect(single.text.contains("rows 12000  valid 8400  invalid 2400  skipped 1200  duplicates 1200"))
        #expect(single.rejects?.isEmpty == false)
        #expect(single.payloads?.isEmpty == false)
        for threads in [2, 3, 8] {
            #expect(try Self.run(file, threads: threads) == single, "threads: \(threads)")
        }
    }

    @Test func aFullDiskStopsEveryWorkerAndIsReported() throws {
        let file = try Self.writeMixedFile()
        let mapping = try Mapping.parse(
            yaml: "kind: user\ncsv: {delimiter: \";\"}\nfields:\n  user.email: {column: Имя, transforms: [email]}\n",
            path: "all-invalid.yaml")
        for threads in [1, 4] {
            var options = DryRunOptions()
            options.threads = threads
            options.rejectsPath = "/dev/full"
            // Every row is invalid, so the rejects file fills stdio's buffer within the first batches.
            #expect(throws: DryRunOutputError.self, "threads: \(threads)") {
                try DryRun(file: file, mapping: mapping, options: options).run()
            }
        }
    }
}
