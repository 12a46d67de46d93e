/// One row `verify` looks at: what the ledger says of it and what the file sends.
struct VerifyCase: Sendable {
    var row: Int
    var ledger: VerifyLedger.Row
    var facts: RowFacts
    /// The payload, to tell rows that are the same order from rows that only look alike.
    var params: [UInt8]
    var isIdempotent: Bool

    /// An ok row (or one an earlier verify found missing): is it in the account?
    var isConfirmation: Bool { ledger.state == .ok || ledger.state == .missing }
}

/// What `verify` concludes about one row.
enum VerifyOutcome: Sendable, Equatable {
    /// An ok row that is in the account.
    case confirmed
    /// A missing row that is in the account after all: ok again.
    case found(userID: String?, dealID: String?)
    /// An unknown row that is in the account: ok.
    case resolved(userID: String?, dealID: String?)
    /// An unknown row that is not: failed, so `retry` sends it once.
    case notFound(String)
    /// An ok row that is not: missing.
    case missing(String)
    /// An unknown row that more than one order could be: left unknown with the candidates.
    case ambiguous(String)
    /// An ok row the exports cannot show (it existed before the window).
    case unconfirmed
    /// An ok order without a number (or one that adds to its order) that landed, whose user is not in a group
    /// it sent: reported, not sent again, since a resend would make a second order (or add the position again).
    case groupsNotThere(String)
}

/// Decides every row from the account's exports. Pure: the same ledger, file and exports give the same
/// outcomes, which is what makes a second `verify` change nothing.
struct VerifyMatcher {
    let kind: ImportKind
    let snapshot: AccountSnapshot
    /// `YYYY-MM-DD … YYYY-MM-DD`, for messages.
    let window: String
    /// Whether group memberships were exported (not under `--no-groups`).
    let checksGroups: Bool

    func decide(_ cases: [VerifyCase]) -> [Int: VerifyOutcome] {
        var outcomes: [Int: VerifyOutcome] = [:]
        var numberless: [VerifyCase] = []
        // Orders that ok rows (and numbered rows found now) already account for.
        var claimed = Set(cases.compactMap { $0.isConfirmation ? $0.ledger.dealID : nil })
        for item in cases {
            if item.isConfirmation {
                outcomes[item.row] = confirm(item)
            } else if kind == .deal && item.facts.dealNumber == nil {
                numberless.append(item)
            } else {
                let outcome = resolve(item)
                if case .resolved(_, let dealID?) = outcome { claimed.insert(dealID) }
                outcomes[item.row] = outcome
            }
        }
        let numbers = Set(cases.compactMap(\.facts.dealNumber))
        for (row, outcome) in matchNumberless(numberless, claimed: claimed, numbers: numbers) {
            outcomes[row] = outcome
        }
        return outcomes
    }

    // MARK: Rows that were answered ok

    private func confirm(_ item: VerifyCase) -> VerifyOutcome {
        let row = item.ledger
        let found: Bool?
        switch kind {
        case .user:
            if let id = row.userID {
                found = snapshot.userIDs.contains(id) ? true : row.userStatus == "added" ? false : nil
            } else {
                let email = item.facts.email.map(AccountSnapshot.email)
                found = email.map { snapshot.userByEmail[$0] != nil } == true ? true : nil
            }
        case .dealStatus:
            // An order whose status was already the one sent may not count as changed in the window.
            found = item.facts.dealNumber.map { snapshot.dealsByNumber[$0] != nil } == true ? true : nil
        case .deal:
            if let id = row.dealID {
                found = snapshot.dealByID[id] != nil ? true : item.facts.addsToOrder ? nil : false
            } else if let number = item.facts.dealNumber {
                found = snapshot.dealsByNumber[number] != nil ? true : item.facts.addsToOrder ? nil : false
            } else {
                found = nil
            }
        case .userGroups:
            found = true
        }
        switch found {
        case false?:
            let what =
                kind == .user
                ? "user \(row.userID ?? "")" : "order \(row.dealID ?? item.facts.dealNumber ?? "")"
            var message =
                "verify: the \(what) of this row is not among the account's \(kind == .user ? "users" : "orders") "
                + "created in the window; `gcimport retry` sends it again"
            if kind == .deal && item.facts.dealNumber != nil {
                message += " (harmless if it existed before: its number keeps it one order; --since widens the window)"
            }
            return .missing(message)
        case nil:
            // A position added to an order that may be older than the window cannot be told either way.
            return .unconfirmed
        case true?:
            if let problem = membershipProblem(item) {
                // Sending again only repairs what a resend cannot double.
                guard item.isIdempotent else { return .groupsNotThere("verify: \(problem); add it in GetCourse") }
                return .missing("verify: \(problem); `gcimport retry` sends the row again")
            }
            if row.state == .missing { return .found(userID: row.userID, dealID: row.dealID) }
            return .confirmed
        }
    }

    /// The first group the row's user should be in and is not, when memberships can be told.
    private func membershipProblem(_ item: VerifyCase) -> String? {
        guard checksGroups, !item.facts.groups.isEmpty else { return nil }
        // Groups are added only to a user the call created or updated (refresh_if_exists), or by a group list.
        guard kind == .userGroups || ["added", "updated"].contains(item.ledger.userStatus ?? "") else { return nil }
        for group in item.facts.groups {
            guard let id = snapshot.groupIDs[group.name] else {
                return "the account has no group «\(group.name)»"
            }
            let member = snapshot.isMember(
                group: id, userID: item.ledger.userID ?? item.facts.userID, email: item.facts.email)
            if member == false { return "the user is not in the group «\(group.name)»" }
        }
        return nil
    }

    // MARK: Rows whose answer never came

    /// An unknown row that is safe to look up by its key: a user, a numbered order, a group list.
    private func resolve(_ item: VerifyCase) -> VerifyOutcome {
        switch kind {
        case .user:
            guard let email = item.facts.email.map(AccountSnapshot.email), let id = snapshot.userByEmail[email] else {
                return .notFound(
                    "verify: no user with this email among the account's users created \(window); "
                        + "`gcimport retry` sends it once")
            }
            return .resolved(userID: id, dealID: nil)
        case .deal, .dealStatus:
            let number = item.facts.dealNumber ?? ""
            guard let positions = snapshot.dealsByNumber[number], let first = positions.first else {
                if item.facts.addsToOrder {
                    // An order older than the window is not in the export: adding the position again could
                    // double it.
                    return .ambiguous(
                        "verify: no order «\(number)» among the account's orders created in the window; if it is "
                            + "older, check it in GetCourse (or widen the window with --since)")
                }
                return .notFound(
                    "verify: no order «\(number)» among the account's orders created \(window); "
                        + "`gcimport retry` sends it once")
            }
            let deal = snapshot.deals[first]
            if item.facts.addsToOrder {
                // The position is added to the order: it landed only if the order now lists it, and even then it
                // may have been there before. Only a product title can be looked for (the export shows titles,
                // not offer codes).
                guard let title = item.facts.productTitle, !deal.composition.isEmpty else {
                    return .ambiguous(
                        "verify: order «\(number)» (id \(deal.id)) exists; whether it lists this row's position "
                            + "cannot be told from the export; check the order in GetCourse")
                }
                guard deal.composition.contains(title.lowercased()) else {
                    return .notFound(
                        "verify: order «\(number)» does not list «\(title)»; `gcimport retry` adds it once")
                }
                return .ambiguous(
                    "verify: order «\(number)» (id \(deal.id)) lists «\(title)», but it may have been there "
                        + "before; check the order in GetCourse")
            }
            return .resolved(userID: deal.userID.isEmpty ? nil : deal.userID, dealID: deal.id)
        case .userGroups:
            let missing = item.facts.groups.first { group in
                guard let id = snapshot.groupIDs[group.name] else { return true }
                return snapshot.isMember(group: id, userID: item.facts.userID, email: nil) != true
            }
            guard let missing else { return .resolved(userID: item.facts.userID, dealID: nil) }
            return .notFound(
                "verify: user \(item.facts.userID ?? "") is not in the group «\(missing.name)»; `gcimport retry` "
                    + "sends the list once")
        }
    }

    /// Orders without a number have no key: an unknown row is matched to an order of the same buyer, cost,
    /// offer and day that no other row accounts for. Rows and orders that could match each other form
    /// groups; a group is decided only when the answer does not depend on which row got which order.
    private func matchNumberless(_ rows: [VerifyCase], claimed: Set<String>, numbers: Set<String>) -> [Int:
        VerifyOutcome]
    {
        var candidates: [Int: [Int]] = [:]
        var byEmail: [String: [Int]] = [:]
        for (index, deal) in snapshot.deals.enumerated()
        where !claimed.contains(deal.id) && !numbers.contains(deal.number) {
            byEmail[deal.email, default: []].append(index)
        }
        for item in rows {
            let email = item.facts.email.map(AccountSnapshot.email) ?? ""
            candidates[item.row] = (byEmail[email] ?? []).filter { matches(item.facts, snapshot.deals[$0]) }
        }
        var outcomes: [Int: VerifyOutcome] = [:]
        for component in Self.components(rows.map(\.row), candidates: candidates) {
            let members = rows.filter { component.rows.contains($0.row) }
            let deals = component.deals.sorted {
                (Int(snapshot.deals[$0].id) ?? 0, $0) < (Int(snapshot.deals[$1].id) ?? 0, $1)
            }
            guard !deals.isEmpty else {
                for item in members {
                    outcomes[item.row] = .notFound(
                        "verify: no order of this buyer with this cost and offer was created \(window); "
                            + "`gcimport retry` sends it once")
                }
                continue
            }
            let sameOrder = members.allSatisfy { $0.params == members[0].params }
            let alike = members.allSatisfy { candidates[$0.row] == candidates[members[0].row] }
            if alike && deals.count == members.count {
                for (item, deal) in zip(members, deals) { outcomes[item.row] = resolved(snapshot.deals[deal]) }
            } else if alike && sameOrder && deals.count < members.count {
                // The same order sent several times, fewer landed: which of the rows did does not matter.
                for (offset, item) in members.enumerated() {
                    outcomes[item.row] =
                        offset < deals.count
                        ? resolved(snapshot.deals[deals[offset]])
                        : .notFound(
                            "verify: \(deals.count) order(s) of \(members.count) identical rows landed; "
                                + "`gcimport retry` sends this one once")
                }
            } else {
                let ids = deals.map { snapshot.deals[$0].id }
                for item in members {
                    outcomes[item.row] = .ambiguous(
                        "verify: \(ids.count) order(s) could be this row's (ids \(ids.joined(separator: ", "))) "
                            + "for \(members.count) row(s) with no number; check them in GetCourse. If none is this "
                            + "row's, send it with `gcimport run … --resend-unknown`")
                }
            }
        }
        return outcomes
    }

    private func resolved(_ deal: AccountSnapshot.Deal) -> VerifyOutcome {
        .resolved(userID: deal.userID.isEmpty ? nil : deal.userID, dealID: deal.id)
    }

    /// Whether the order could be the row's. A value the export does not show (a missing column, a cell that
    /// does not read) never rules an order out: a false "no match" would make `retry` create a second order,
    /// while an extra candidate only leaves the row unknown.
    private func matches(_ facts: RowFacts, _ deal: AccountSnapshot.Deal) -> Bool {
        if let cost = facts.cost, let dealCost = deal.cost, abs(dealCost - cost) >= 0.005 { return false }
        if let created = facts.createdAt, created.count >= 10, deal.createdAt.count >= 10,
            !deal.createdAt.hasPrefix(String(created.prefix(10)))
        {
            return false
        }
        if let title = facts.productTitle, !deal.composition.isEmpty, !deal.composition.contains(title.lowercased()) {
            return false
        }
        return true
    }

    /// Rows and orders linked by a possible match, as connected groups.
    static func components(_ rows: [Int], candidates: [Int: [Int]]) -> [(rows: Set<Int>, deals: Set<Int>)] {
        var rowsOfDeal: [Int: [Int]] = [:]
        for row in rows {
            for deal in candidates[row] ?? [] { rowsOfDeal[deal, default: []].append(row) }
        }
        var seen: Set<Int> = []
        var components: [(rows: Set<Int>, deals: Set<Int>)] = []
        for start in rows where !seen.contains(start) {
            var component: (rows: Set<Int>, deals: Set<Int>) = ([], [])
            var stack = [start]
            seen.insert(start)
            while let row = stack.popLast() {
                component.rows.insert(row)
                for deal in candidates[row] ?? [] where component.deals.insert(deal).inserted {
                    for other in rowsOfDeal[deal] ?? [] where seen.insert(other).inserted { stack.append(other) }
                }
            }
            components.append(component)
        }
        return components
    }
}
