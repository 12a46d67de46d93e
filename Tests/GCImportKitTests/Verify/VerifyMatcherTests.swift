import Testing

@testable import GCImportKit

/// The matcher on hand-made exports: what it must never conclude when the export cannot tell.
@Suite struct VerifyMatcherTests {
    private func unknownDeal(_ row: Int, email: String, cost: Double?, title: String?, number: String? = nil)
        -> VerifyCase
    {
        VerifyCase(
            row: row, ledger: VerifyLedger.Row(line: row + 1, state: .unknown),
            facts: RowFacts(email: email, dealNumber: number, productTitle: title, cost: cost),
            params: Array("\(email)|\(title ?? "")|\(cost ?? 0)".utf8), isIdempotent: number != nil)
    }

    private func snapshot(_ deals: [AccountSnapshot.Deal]) -> AccountSnapshot {
        var snapshot = AccountSnapshot()
        for deal in deals {
            snapshot.dealByID[deal.id] = snapshot.deals.count
            if !deal.number.isEmpty { snapshot.dealsByNumber[deal.number, default: []].append(snapshot.deals.count) }
            snapshot.deals.append(deal)
        }
        return snapshot
    }

    private func deal(_ id: String, email: String, cost: Double?, composition: String, number: String = "900")
        -> AccountSnapshot.Deal
    {
        AccountSnapshot.Deal(
            id: id, number: number, userID: "7", email: email, createdAt: "2026-12-03 10:00:00",
            composition: composition, cost: cost)
    }

    private func matcher(_ snapshot: AccountSnapshot) -> VerifyMatcher {
        VerifyMatcher(kind: .deal, snapshot: snapshot, window: "2026-12-02 … 2026-12-04", checksGroups: true)
    }

    @Test func aCostOrCompositionTheExportDoesNotShowNeverRulesAnOrderOut() {
        // Unreadable cost, empty composition: the order may be the row's, so the row is not "not there".
        let export = snapshot([deal("31", email: "a@example.com", cost: nil, composition: "")])
        let outcomes = matcher(export).decide([unknownDeal(1, email: "a@example.com", cost: 1000, title: "Курс")])
        #expect(outcomes[1] == .resolved(userID: "7", dealID: "31"))
    }

    @Test func aDifferentCostOrTitleDoesRuleItOut() {
        let export = snapshot([
            deal("31", email: "a@example.com", cost: 900, composition: "курс"),
            deal("32", email: "a@example.com", cost: 1000, composition: "другое"),
        ])
        let outcomes = matcher(export).decide([unknownDeal(1, email: "a@example.com", cost: 1000, title: "Курс")])
        guard case .notFound = outcomes[1] else {
            Issue.record("expected not found, got \(String(describing: outcomes[1]))")
            return
        }
    }

    @Test func moreCandidatesThanRowsIsAmbiguous() {
        let export = snapshot([
            deal("31", email: "a@example.com", cost: 1000, composition: "курс"),
            deal("32", email: "a@example.com", cost: 1000, composition: "курс"),
        ])
        let outcomes = matcher(export).decide([unknownDeal(1, email: "a@example.com", cost: 1000, title: "Курс")])
        guard case .ambiguous(let message) = outcomes[1] else {
            Issue.record("expected ambiguous, got \(String(describing: outcomes[1]))")
            return
        }
        #expect(message.contains("31, 32"))
    }

    @Test func aPositionAddedByOfferCodeAloneIsNeverDeclaredAbsent() {
        var row = unknownDeal(1, email: "a@example.com", cost: 1000, title: nil, number: "N-1")
        row.facts.offerCode = "COURSE-1"
        row.facts.addsToOrder = true
        row.isIdempotent = false
        let export = snapshot([
            deal("31", email: "a@example.com", cost: 1000, composition: "курс python", number: "N-1")
        ])
        guard case .ambiguous = matcher(export).decide([row])[1] else {
            Issue.record("an offer code cannot be looked for in the export")
            return
        }
        // Nor an order the window may not show.
        guard case .ambiguous = matcher(snapshot([])).decide([row])[1] else {
            Issue.record("an order older than the window is not proof of absence")
            return
        }
    }

    @Test func daysAreWrittenAndCheckedStrictly() {
        #expect(Day.isValid("2024-01-31"))
        #expect(!Day.isValid("2024-1-5"))
        #expect(!Day.isValid("2024-02-30"))
        #expect(!Day.isValid("２０２４-01-01"))
        #expect(Day.shift("2024-03-01", days: -1) == "2024-02-29")
    }
}
