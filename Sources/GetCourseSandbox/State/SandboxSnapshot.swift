/// The state of the emulated account as `GET /__sandbox/state` answers it (keys in snake_case there).
///
/// Built for assertions like "every row landed exactly once": `summary` holds the totals, and
/// `deals_per_email` counts orders per owner, so a doubled order shows up as a 2.
package struct SandboxSnapshot: Codable, Sendable, Equatable {
    /// Totals.
    package struct Summary: Codable, Sendable, Equatable {
        package var users: Int
        package var deals: Int
        var groups: Int
        /// Users and deals created since the last reset (what `--allowance` limits).
        var createdObjects: Int
        /// Requests that reached an API endpoint, all endpoints together.
        package var requests: Int

        private enum CodingKeys: String, CodingKey {
            case users, deals, groups
            case createdObjects = "created_objects"
            case requests
        }
    }

    package var summary: Summary
    package var users: [SandboxUser]
    package var deals: [SandboxDeal]
    var groups: [SandboxGroup]
    /// Order count per owner email (lowercased).
    package var dealsPerEmail: [String: Int]
    /// Per API path: requests and answers by outcome.
    package var requests: [String: SandboxEndpointCounts]

    private enum CodingKeys: String, CodingKey {
        case summary, users, deals, groups
        case dealsPerEmail = "deals_per_email"
        case requests
    }

    init(state: SandboxState) {
        var users: [SandboxUser] = []
        state.forEachUser { users.append($0) }
        var deals: [SandboxDeal] = []
        var perEmail: [String: Int] = [:]
        state.forEachDeal { deal in
            deals.append(deal)
            perEmail[SandboxState.emailKey(deal.userEmail), default: 0] += 1
        }
        self.users = users
        self.deals = deals
        groups = state.totals.groups
        requests = state.totals.requests
        dealsPerEmail = perEmail
        summary = Summary(
            users: users.count,
            deals: deals.count,
            groups: groups.count,
            createdObjects: state.createdObjects,
            requests: requests.values.reduce(0) { $0 + $1.requests }
        )
    }
}
