/// The state of the emulated account as `GET /__sandbox/state` answers it (keys in snake_case there).
///
/// Built for assertions like "every row landed exactly once": `summary` holds the totals, and
/// `deals_per_email` counts orders per owner, so a doubled order shows up as a 2.
public struct SandboxSnapshot: Codable, Sendable, Equatable {
    /// Totals.
    public struct Summary: Codable, Sendable, Equatable {
        public var users: Int
        public var deals: Int
        public var groups: Int
        /// Users and deals created since the last reset (what `--allowance` limits).
        public var createdObjects: Int
        /// Requests that reached an API endpoint, all endpoints together.
        public var requests: Int

        private enum CodingKeys: String, CodingKey {
            case users, deals, groups
            case createdObjects = "created_objects"
            case requests
        }
    }

    public var summary: Summary
    public var users: [SandboxUser]
    public var deals: [SandboxDeal]
    public var groups: [SandboxGroup]
    /// Order count per owner email (lowercased).
    public var dealsPerEmail: [String: Int]
    /// Per API path: requests and answers by outcome.
    public var requests: [String: SandboxEndpointCounts]

    private enum CodingKeys: String, CodingKey {
        case summary, users, deals, groups
        case dealsPerEmail = "deals_per_email"
        case requests
    }

    init(state: SandboxState) {
        users = state.users.elements
        deals = state.deals.elements
        groups = state.groups.elements
        requests = state.requests
        var perEmail: [String: Int] = [:]
        for deal in state.deals { perEmail[SandboxState.emailKey(deal.userEmail), default: 0] += 1 }
        dealsPerEmail = perEmail
        summary = Summary(
            users: state.users.count,
            deals: state.deals.count,
            groups: state.groups.count,
            createdObjects: state.createdObjects,
            requests: state.requests.values.reduce(0) { $0 + $1.requests }
        )
    }
}
