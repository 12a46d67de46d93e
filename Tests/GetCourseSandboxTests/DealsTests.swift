import Testing

@testable import GetCourseSandbox

/// `/pl/api/deals`: creation rules, numbers and idempotency, updates, closed value sets.
@Suite struct DealsTests {
    let path = "/pl/api/deals"

    @Test func newDealCreatesUserAndOrder() async throws {
        try await SandboxHarness.with { sandbox in
            let result = try await sandbox.importResult(
                path,
                json: """
                    {"user":{"email":"buyer@example.com","first_name":"Анна"},
                    "deal":{"offer_code":"COURSE1","deal_cost":"12000.50","deal_currency":"EUR","deal_status":"payed",
                    "payment_type":"CARD","payment_status":"accepted","deal_created_at":"2024-02-01 10:00:00",
                    "addfields":{"Источник заказа":"партнер"}},
                    "session":{"utm_source":"mail"}}
                    """
            )
            #expect(result["success"] == true)
            #expect(result["user_status"] == "added")
            #expect(result["deal_id"]?.int != nil)
            #expect(result["deal_number"] == "")
            #expect(result["payment_link"] == "")
            let state = try await sandbox.state()
            let deal = try #require(state["deals"]?.arrayElements?.first)
            #expect(deal["cost"] == .number(12000.5))
            #expect(deal["currency"] == "EUR")
            #expect(deal["status"] == "payed")
            #expect(deal["is_paid"] == true)
            #expect(deal["created_at"] == "2024-02-01 10:00:00")
            #expect(deal["positions"]?.arrayElements?.first?["offer_code"] == "COURSE1")
            #expect(deal["addfields"]?["Источник заказа"] == "партнер")
            #expect(deal["user_id"] == result["user_id"])
            #expect(state["deals_per_email"]?["buyer@example.com"] == 1)
        }
    }

    @Test func dealWithoutNumberIsNotIdempotent() async throws {
        let json = #"{"user":{"email":"twice@example.com"},"deal":{"product_title":"Курс","deal_cost":5000}}"#
        try await SandboxHarness.with { sandbox in
            let first = try await sandbox.importResult(path, json: json)
            let second = try await sandbox.importResult(path, json: json)
            #expect(first["deal_id"] != second["deal_id"])
            #expect(second["user_status"] == "exists")
            let state = try await sandbox.state()
            #expect(state["summary"]?["deals"] == 2)
            #expect(state["summary"]?["users"] == 1)
            #expect(state["deals_per_email"]?["twice@example.com"] == 2)
            let numbers = state["deals"]?.arrayElements?.compactMap { $0["number"]?.string } ?? []
            #expect(Set(numbers).count == 2)
        }
    }

    @Test func sameNumberUpdatesTheOrder() async throws {
        try await SandboxHarness.with { sandbox in
            let created = try await sandbox.importResult(
                path,
                json:
                    #"{"user":{"email":"n@example.com"},"deal":{"deal_number":"ORD-7","offer_code":"A","deal_cost":100},"system":{"return_deal_number":1}}"#
            )
            #expect(created["deal_number"] == "ORD-7")
            // A status change: add with the number and a status, nothing else.
            let changed = try await sandbox.importResult(
                path,
                json: #"{"user":{"email":"n@example.com"},"deal":{"deal_number":"ORD-7","deal_status":"cancelled"}}"#
            )
            #expect(changed["success"] == true)
            #expect(changed["deal_id"] == created["deal_id"])
            let state = try await sandbox.state()
            #expect(state["summary"]?["deals"] == 1)
            let deal = try #require(state["deals"]?.arrayElements?.first)
            #expect(deal["status"] == "cancelled")
            #expect(deal["update_count"] == 1)
        }
    }

    @Test func unknownNumberCreatesWithThatNumber() async throws {
        try await SandboxHarness.with { sandbox in
            let result = try await sandbox.importResult(
                path,
                json:
                    #"{"user":{"email":"u@example.com"},"deal":{"deal_number":555,"product_title":"P","deal_cost":"10"},"system":{"return_deal_number":"1","return_payment_link":true}}"#
            )
            #expect(result["deal_number"]?.int == 555)
            #expect(result["payment_link"]?.string?.hasPrefix("http://") == true)
            #expect(try await sandbox.state()["deals"]?.arrayElements?.first?["number"] == "555")
        }
    }

    @Test func multipleOffersAppendsPositions() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.importResult(
                path,
                json:
                    #"{"user":{"email":"m@example.com"},"deal":{"deal_number":"M1","offer_code":"A","deal_cost":100}}"#
            )
            _ = try await sandbox.importResult(
                path,
                json:
                    #"{"user":{"email":"m@example.com"},"deal":{"deal_number":"M1","offer_code":"B","deal_cost":50},"system":{"multiple_offers":1}}"#
            )
            let deal = try #require(try await sandbox.state()["deals"]?.arrayElements?.first)
            #expect(deal["positions"]?.arrayElements?.map { $0["offer_code"] } == ["A", "B"])
            #expect(deal["cost"] == .number(150))
            _ = try await sandbox.importResult(
                path,
                json: #"{"user":{"email":"m@example.com"},"deal":{"deal_number":"M1","offer_code":"C","deal_cost":70}}"#
            )
            let replaced = try #require(try await sandbox.state()["deals"]?.arrayElements?.first)
            #expect(replaced["positions"]?.arrayElements?.map { $0["offer_code"] } == ["C"])
        }
    }

    @Test func refreshUpdatesOwnerButSessionStaysWithOrder() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.importResult(
                json: #"{"user":{"email":"o@example.com","city":"A"},"session":{"utm_source":"first"}}"#)
            let result = try await sandbox.importResult(
                path,
                json: """
                    {"user":{"email":"o@example.com","city":"B"},"system":{"refresh_if_exists":1},
                    "session":{"utm_source":"order"},"deal":{"offer_code":"X","deal_cost":1}}
                    """
            )
            #expect(result["user_status"] == "updated")
            let state = try await sandbox.state()
            let user = try #require(state["users"]?.arrayElements?.first)
            #expect(user["fields"]?["city"] == "B")
            #expect(user["session"]?["utm_source"] == "first")
            #expect(state["deals"]?.arrayElements?.first?["session"]?["utm_source"] == "order")
        }
    }

    @Test(arguments: [
        #"{"user":{"email":"e@example.com"}}"#,  // no deal at all
        #"{"user":{"email":"e@example.com"},"deal":{"deal_cost":100}}"#,  // no offer
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A"}}"#,  // no cost
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A","deal_cost":0}}"#,  // zero cost
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A","deal_cost":"12 000,00"}}"#,  // unnormalised
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A","deal_cost":"abc"}}"#,
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A","deal_cost":1,"deal_status":"paid"}}"#,
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A","deal_cost":1,"payment_status":"ok"}}"#,
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A","deal_cost":1,"payment_type":"card"}}"#,
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A","deal_cost":1,"deal_currency":"XYZ"}}"#,
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A","deal_cost":1,"quantity":"two"}}"#,
        #"{"user":{"phone":"+79001234567"},"deal":{"offer_code":"A","deal_cost":1}}"#,  // deals need an email
        #"{"user":{"email":"bad"},"deal":{"offer_code":"A","deal_cost":1}}"#,
        #"{"user":{"email":"e@example.com"},"deal":{"offer_code":"A","deal_cost":1,"partner_email":"no@example.com"}}"#,
    ])
    func rowProblemsChangeNothing(json: String) async throws {
        try await SandboxHarness.with { sandbox in
            let reply = try await sandbox.importCall(path, json: json)
            let answer = try reply.json
            #expect(answer["success"] == true, "\(reply.text)")
            #expect(answer["result"]?["success"] == false)
            #expect(answer["result"]?["error"] == true)
            #expect(answer["result"]?["error_message"]?.string?.isEmpty == false)
            let summary = try await sandbox.state()["summary"]
            #expect(summary?["users"] == 0)
            #expect(summary?["deals"] == 0)
        }
    }

    @Test(arguments: [
        "new", "payed", "cancelled", "false", "in_work", "payment_waiting", "part_payed",
        "waiting_for_return", "not_confirmed", "pending",
    ])
    func everyDocumentedStatusIsAccepted(status: String) async throws {
        try await SandboxHarness.with { sandbox in
            let result = try await sandbox.importResult(
                path,
                json:
                    #"{"user":{"email":"s@example.com"},"deal":{"offer_code":"A","deal_cost":1,"deal_status":"\#(status)","payment_type":"cloud_payments","deal_currency":"KZT"}}"#
            )
            #expect(result["success"] == true)
        }
    }

    @Test func dealPartnerIsMarked() async throws {
        try await SandboxHarness.with { sandbox in
            let partner = try await sandbox.importResult(json: #"{"user":{"email":"p@example.com"}}"#)
            _ = try await sandbox.importResult(
                path,
                json:
                    #"{"user":{"email":"c@example.com"},"deal":{"offer_code":"A","deal_cost":1,"partner_email":"p@example.com"}}"#
            )
            let state = try await sandbox.state()
            #expect(state["deals"]?.arrayElements?.first?["partner_id"] == partner["user_id"])
            #expect(state["users"]?.arrayElements?.first?["is_partner"] == true)
        }
    }
}
