import Foundation
import TestSupport
import Testing

@testable import GCImportKit
@testable import GetCourseSandbox

/// What GetCourse did with each user (created, updated, left as it was) and the payment links it returned
/// reach the ledger and the report, so `ok` no longer hides an existing user that was not updated.
@Suite struct UserStatusTests {
    @Test func existingUsersLeftUnchangedAreCountedApart() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let mapping = try bench.write(
                "users.yaml",
                """
                kind: user
                fields:
                  user.email: {column: Email, transforms: [email]}
                  user.first_name: Имя
                  user.group_name: {column: Группа, split: ","}
                  system.refresh_if_exists: {value: 0}
                """)
            let first = try bench.write("first.csv", RunBench.usersCSV(3))
            #expect(try await bench.run(input: first, mapping: mapping).counts.ok == 3)
            // Rows 1-3 again (existing, left unchanged) and rows 4-5 (new).
            let second = try bench.write("second.csv", RunBench.usersCSV(5))
            #expect(try await bench.run(input: second, mapping: mapping).counts.ok == 5)

            let report = try LedgerReport.build(ledgerPath: second + ".ledger.jsonl")
            #expect(report.userStatuses == ["added": 2, "exists": 3])
            let text = report.renderText()
            #expect(text.contains("Users    2 created, 3 already there and left unchanged (refresh_if_exists 0"))
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(report.renderJSON().utf8)) as? [String: Any])
            #expect(json["user_statuses"] as? [String: Int] == ["added": 2, "exists": 3])
            let ledger = try String(contentsOfFile: second + ".ledger.jsonl", encoding: .utf8)
            #expect(ledger.contains(#""user_status":"exists""#))
        }
    }

    @Test func paymentLinksAreKeptWithTheirRows() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let input = try bench.write("deals.csv", RunBench.dealsCSV(2))
            let mapping = try bench.write(
                "deals.yaml", RunBench.dealsMapping + "\n  system.return_payment_link: {value: 1}\n")
            #expect(try await bench.run(input: input, mapping: mapping).counts.ok == 2)
            let report = try LedgerReport.build(ledgerPath: input + ".ledger.jsonl")
            #expect(report.paymentLinks.map(\.line) == [2, 3])
            #expect(report.paymentLinks.map(\.dealNumber) == ["D-1", "D-2"])
            #expect(report.paymentLinks.allSatisfy { $0.link.contains("/sales/shop/dealPay/") })
            #expect(report.renderText().contains("Links    2 payment link(s) returned"))
        }
    }

    @Test func theDryRunWarnsOnceThatExistingUsersAreNotUpdated() throws {
        let quiet = try loadMapping(
            "kind: user\nfields:\n  user.email: Email\n  system.refresh_if_exists: {value: 1}\n")
        #expect(!quiet.warnings.contains { $0.contains("refresh_if_exists") })
        for yaml in [
            "kind: user\nfields:\n  user.email: Email\n  user.group_name: G\n",
            "kind: user\nfields:\n  user.email: Email\n  user.group_name: G\n  system.refresh_if_exists: {value: 0}\n",
        ] {
            let warnings = try loadMapping(yaml).warnings.filter { $0.contains("refresh_if_exists") }
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains("keep their data and are added to none of the row's groups") == true)
        }
        let deal = try loadMapping(
            "kind: deal\nfields:\n  user.email: E\n  deal.product_title: P\n  deal.deal_cost: C\n  deal.deal_number: N\n"
        )
        #expect(!deal.warnings.contains { $0.contains("refresh_if_exists") })
    }
}
