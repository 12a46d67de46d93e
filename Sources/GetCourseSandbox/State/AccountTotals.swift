/// The small part of the account that the store keeps in memory between calls: groups, request counters,
/// id sequences. Each call works on a copy (``SandboxState``); the store adopts it once the call's
/// transaction has committed, so memory never runs ahead of the database.
struct AccountTotals: Sendable {
    private(set) var groups: [SandboxGroup] = []
    private var groupByName: [String: Int] = [:]
    private var groupById: [Int: Int] = [:]
    /// Per endpoint path (`/pl/api/users`, …); admin paths are not counted.
    var requests: [String: SandboxEndpointCounts] = [:]
    var sequences = AccountSequences.initial

    init() {}

    init(groups: [SandboxGroup], requests: [String: SandboxEndpointCounts], sequences: AccountSequences) {
        for group in groups { append(group) }
        self.requests = requests
        self.sequences = sequences
    }

    func groupPosition(named name: String) -> Int? { groupByName[name] }
    func groupPosition(id: Int) -> Int? { groupById[id] }

    subscript(group position: Int) -> SandboxGroup {
        get { groups[position] }
        set { groups[position] = newValue }
    }

    /// Adds a group at the end; returns its position.
    @discardableResult
    mutating func append(_ group: SandboxGroup) -> Int {
        groups.append(group)
        groupByName[group.name] = groups.count - 1
        groupById[group.id] = groups.count - 1
        return groups.count - 1
    }
}

/// The counters that hand out ids and numbers, plus the allowance count; the `counters` table.
struct AccountSequences: Sendable, Equatable {
    /// Users and deals created so far: what `--allowance` counts.
    var createdObjects: Int
    var nextUserId: Int
    var nextDealId: Int
    var nextDealNumber: Int
    var nextGroupId: Int

    /// A new account's.
    static let initial = AccountSequences(
        createdObjects: 0, nextUserId: 100_000_001, nextDealId: 300_000_001, nextDealNumber: 1_000_001,
        nextGroupId: 5_000_001
    )

    /// The `counters` rows: name and value.
    var rows: [(String, Int)] {
        [
            ("created_objects", createdObjects), ("next_user_id", nextUserId), ("next_deal_id", nextDealId),
            ("next_deal_number", nextDealNumber), ("next_group_id", nextGroupId),
        ]
    }

    /// Reads the rows back; a name missing keeps the new account's value.
    init(rows: [String: Int]) {
        let initial = Self.initial
        createdObjects = rows["created_objects"] ?? initial.createdObjects
        nextUserId = rows["next_user_id"] ?? initial.nextUserId
        nextDealId = rows["next_deal_id"] ?? initial.nextDealId
        nextDealNumber = rows["next_deal_number"] ?? initial.nextDealNumber
        nextGroupId = rows["next_group_id"] ?? initial.nextGroupId
    }

    init(createdObjects: Int, nextUserId: Int, nextDealId: Int, nextDealNumber: Int, nextGroupId: Int) {
        self.createdObjects = createdObjects
        self.nextUserId = nextUserId
        self.nextDealId = nextDealId
        self.nextDealNumber = nextDealNumber
        self.nextGroupId = nextGroupId
    }
}
