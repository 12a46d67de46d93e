import Foundation
import TestSupport
import Testing

@testable import GCImportKit
@testable import GetCourseSandbox

/// Kind `deal_status`: email + number + status change orders that exist, and nothing else.
@Suite struct DealStatusTests {
    static let statusMapping = """
        kind: deal_status
        fields:
          user.email: {column: Email, transforms: [email]}
          deal.deal_number: Номер
          deal.deal_status: {column: Статус, map: {Отменен: cancelled, Оплачен: payed}}
        """

    @Test func aStatusFileChangesTheOrdersThatExistAndCreatesNone() async throws {
        let bench = try await RunBench()
        try await withCleanup(bench) { () async throws in
            let deals = try bench.write("deals.csv", RunBench.dealsCSV(3))
            let dealMapping = try bench.write("deals.yaml", RunBench.dealsMapping)
            #expect(try await bench.run(input: deals, mapping: dealMapping).counts.ok == 3)

            let statuses = try bench.write(
                "statuses.csv",
                "Номер;Email;Статус\nD-1;buyer1@example.com;Отменен\nD-2;buyer2@example.com;Оплачен\n"
                    + "D-9;buyer9@example.com;Оплачен\n")
            let mapping = try bench.write("statuses.yaml", Self.statusMapping)
            let summary = try await bench.run(input: statuses, mapping: mapping)
            #expect(summary.counts.ok == 2)
            #expect(summary.counts.rejected == 1)

            let after = try #require(bench.sandbox.snapshot()).deals
            #expect(after.count == 3)
            let byNumber = Dictionary(uniqueKeysWithValues: after.map { ($0.number, $0) })
            #expect(byNumber["D-1"]?.status == "cancelled")
            #expect(byNumber["D-2"]?.status == "payed")
            #expect(byNumber["D-3"]?.status == "new")
            #expect(byNumber["D-1"]?.cost == 1000)
        }
    }

    @Test func theKindNeedsEmailNumberAndStatus() throws {
        let error = try #require(
            mappingError("kind: deal_status\nfields:\n  user.email: Email\n  deal.deal_status: Статус\n"))
        #expect(error.description.contains("missing: deal.deal_number"))
        let offer = try #require(
            mappingError(
                "kind: deal_status\nfields:\n  user.email: Email\n  deal.deal_number: N\n  deal.deal_status: S\n"
                    + "  deal.deal_cost: C\n"))
        #expect(offer.description.contains("not part of a kind deal_status import"))
    }

    @Test func aRowWithoutAStatusIsInvalid() throws {
        let mapping = try loadMapping(Self.statusMapping)
        let header = ["Номер", "Email", "Статус"]
        #expect(
            try mapRow(mapping, header: header, ["D-1", "a@b.ru", "Отменен"]).json
                == #"{"user":{"email":"a@b.ru"},"deal":{"deal_number":"D-1","deal_status":"cancelled"}}"#)
        #expect(try mapRow(mapping, header: header, ["D-1", "a@b.ru", ""]).errors.map(\.field) == ["deal.deal_status"])
    }
}
