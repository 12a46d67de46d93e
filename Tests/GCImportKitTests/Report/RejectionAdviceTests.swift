import Foundation
import TestSupport
import Testing

@testable import GCImportKit
@testable import GetCourseSandbox

/// A row refused for a reason the user can act on carries the advice in `report` and in `failed`'s `_error`.
@Suite struct RejectionAdviceTests {
    @Test func aMissingPartnerIsExplainedInTheReportAndTheFailedCSV() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write(
                "users.csv", "Email;Партнер\na@example.com;nobody@example.com\nb@example.com;\n")
            let mapping = try bench.write(
                "users.yaml",
                "kind: user\nfields:\n  user.email: Email\n  system.partner_email: Партнер\n"
                    + "  system.refresh_if_exists: {value: 1}\n")
            let summary = try await bench.run(input: input, mapping: mapping)
            #expect(summary.counts.ok == 1)
            #expect(summary.counts.rejected == 1)

            let ledger = input + ".ledger.jsonl"
            let report = try LedgerReport.build(ledgerPath: ledger)
            let group = try #require(report.errorGroups.first)
            #expect(group.message.contains("Партнер не найден"))
            #expect(group.advice?.contains("import the partners first") == true)
            #expect(report.renderText().contains("what to do: the partner must already be a user of this account"))
            #expect(report.renderJSON().contains(#""advice":"the partner must already be a user"#))

            let output = bench.path("fix.csv")
            #expect(try FailedRowsExport(ledgerPath: ledger, outputPath: output).run().written == 1)
            let text = try String(contentsOfFile: output, encoding: .utf8)
            #expect(text.contains("Партнер не найден: nobody@example.com → the partner must already be a user"))
        }
    }

    @Test(arguments: [
        ("Offer not found", "deal.offer_code must be"),
        ("Пользователь не найден: 5", "ids from another account"),
        ("Неизвестный статус заказа: done", "map:"),
    ])
    func knownTextsHaveAdvice(message: String, fragment: String) {
        #expect(RejectionAdvice.advice(for: message)?.contains(fragment) == true)
    }

    @Test func unknownTextsAreLeftAlone() {
        #expect(RejectionAdvice.advice(for: "Что-то пошло не так") == nil)
        #expect(RejectionAdvice.annotated("Что-то пошло не так") == "Что-то пошло не так")
    }
}
