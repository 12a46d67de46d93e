/// Everything the emulated account holds. A plain value: ``StateStore`` owns the one instance behind a lock.
struct SandboxState: Codable, Sendable {
    // Tracked, so a call's journal record holds only the objects it wrote (see ``takeChanges()``).
    var users = TrackedList<SandboxUser>()
    var deals = TrackedList<SandboxDeal>()
    var groups = TrackedList<SandboxGroup>()
    /// Per endpoint path (`/pl/api/users`, …); admin paths are not counted. Changed only by ``count``, which
    /// notes the endpoint for the journal.
    private(set) var requests: [String: SandboxEndpointCounts] = [:]
    private var changedEndpoints: Set<String> = []
    /// The sequences as last journalled, so a change to them alone still makes a record.
    private var journalledSequences = JournalRecord.Sequences.initial
    /// Users and deals created so far: what `--allowance` counts.
    var createdObjects = 0
    var nextUserId = 100_000_001
    var nextDealId = 300_000_001
    var nextDealNumber = 1_000_001
    var nextGroupId = 5_000_001

    // Lookup tables, rebuilt after loading rather than stored, so the file cannot disagree with itself.
    private var userByEmail: [String: Int] = [:]
    private var userByPhone: [String: Int] = [:]
    private var userById: [Int: Int] = [:]
    private var dealByNumber: [String: Int] = [:]
    private var groupByName: [String: Int] = [:]

    private enum CodingKeys: String, CodingKey {
        case users, deals, groups, requests
        case createdObjects = "created_objects"
        case nextUserId = "next_user_id"
        case nextDealId = "next_deal_id"
        case nextDealNumber = "next_deal_number"
        case nextGroupId = "next_group_id"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try container.decode(TrackedList<SandboxUser>.self, forKey: .users)
        deals = try container.decode(TrackedList<SandboxDeal>.self, forKey: .deals)
        groups = try container.decode(TrackedList<SandboxGroup>.self, forKey: .groups)
        requests = try container.decode([String: SandboxEndpointCounts].self, forKey: .requests)
        createdObjects = try container.decode(Int.self, forKey: .createdObjects)
        nextUserId = try container.decode(Int.self, forKey: .nextUserId)
        nextDealId = try container.decode(Int.self, forKey: .nextDealId)
        nextDealNumber = try container.decode(Int.self, forKey: .nextDealNumber)
        nextGroupId = try container.decode(Int.self, forKey: .nextGroupId)
        journalledSequences = sequences
        rebuildIndexes()
    }

    mutating func rebuildIndexes() {
        userByEmail = [:]
        userByPhone = [:]
        userById = [:]
        for (position, user) in users.enumerated() { indexUser(at: position, user) }
        dealByNumber = Dictionary(deals.enumerated().map { ($1.number, $0) }, uniquingKeysWith: { first, _ in first })
        groupByName = Dictionary(groups.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private mutating func indexUser(at position: Int, _ user: SandboxUser) {
        userByEmail[Self.emailKey(user.email)] = position
        userById[user.id] = position
        if let phone = user.fields["phone"], let key = Self.phoneKey(phone) { userByPhone[key] = position }
    }

    /// Emails match case-insensitively after trimming, as GetCourse matches them.
    static func emailKey(_ email: String) -> String { email.trimmingSpaces().lowercased() }

    /// Phones match on their digits only, so `+7 (900) 123-45-67` and `79001234567` are one person.
    static func phoneKey(_ phone: String) -> String? {
        let digits = phone.filter(\.isASCIIDigit)
        return digits.count >= 5 ? digits : nil
    }

    // MARK: Users

    func userIndex(email: String) -> Int? { userByEmail[Self.emailKey(email)] }
    func userIndex(phone: String) -> Int? { Self.phoneKey(phone).flatMap { userByPhone[$0] } }
    func userIndex(id: Int) -> Int? { userById[id] }

    /// Adds a new user with the next id and returns its position.
    mutating func insertUser(_ make: (Int) -> SandboxUser) -> Int {
        let user = make(nextUserId)
        nextUserId += 1
        createdObjects += 1
        users.append(user)
        indexUser(at: users.count - 1, user)
        return users.count - 1
    }

    /// Re-indexes a user whose phone may have changed.
    mutating func reindexUser(at position: Int) { indexUser(at: position, users[position]) }

    // MARK: Deals

    func dealIndex(number: String) -> Int? { dealByNumber[number] }

    /// The next generated order number that no imported order already uses.
    mutating func takeDealNumber() -> String {
        while dealByNumber[String(nextDealNumber)] != nil { nextDealNumber += 1 }
        defer { nextDealNumber += 1 }
        return String(nextDealNumber)
    }

    mutating func insertDeal(_ make: (Int) -> SandboxDeal) -> Int {
        let deal = make(nextDealId)
        nextDealId += 1
        createdObjects += 1
        deals.append(deal)
        dealByNumber[deal.number] = deals.count - 1
        return deals.count - 1
    }

    // MARK: Groups

    func group(named name: String) -> SandboxGroup? { groupByName[name].map { groups[$0] } }
    func group(id: Int) -> SandboxGroup? { groups.first { $0.id == id } }

    /// The group with this name, created on first use (GetCourse creates groups named by an import).
    mutating func groupId(named name: String, touchedAt time: String) -> Int {
        if let position = groupByName[name] {
            groups[position].lastAddedAt = max(groups[position].lastAddedAt ?? "", time)
            return groups[position].id
        }
        let group = SandboxGroup(id: nextGroupId, name: name, lastAddedAt: time)
        nextGroupId += 1
        groups.append(group)
        groupByName[name] = groups.count - 1
        return group.id
    }

    /// Adds the groups the account starts with (`--groups`) that it does not have yet, each keeping its id
    /// when no other group holds it.
    mutating func seed(groups seeds: [SandboxGroupSeed]) {
        for seed in seeds where groupByName[seed.name] == nil {
            var id = nextGroupId
            if let wanted = seed.id, wanted > 0, !groups.contains(where: { $0.id == wanted }) { id = wanted }
            nextGroupId = max(nextGroupId, id + 1)
            groups.append(SandboxGroup(id: id, name: seed.name, lastAddedAt: seed.lastAddedAt))
            groupByName[seed.name] = groups.count - 1
        }
    }

    // MARK: Counters

    mutating func count(endpoint: String, outcome: String) {
        requests[endpoint, default: SandboxEndpointCounts()].requests += 1
        requests[endpoint, default: SandboxEndpointCounts()].outcomes[outcome, default: 0] += 1
        changedEndpoints.insert(endpoint)
    }

    // MARK: Journal

    /// What changed since the last call, as a journal record: the written objects whole, the touched
    /// endpoints' counters whole, and every sequence. nil when nothing changed. Whole values rather than
    /// deltas make replaying a record twice harmless (see ``JournalRecord``).
    mutating func takeChanges() -> JournalRecord? {
        let users = self.users.takeChanges()
        let deals = self.deals.takeChanges()
        let groups = self.groups.takeChanges()
        var counts: [String: SandboxEndpointCounts] = [:]
        for endpoint in changedEndpoints { counts[endpoint] = requests[endpoint] }
        changedEndpoints.removeAll(keepingCapacity: true)
        let sequences = self.sequences
        guard
            !users.isEmpty || !deals.isEmpty || !groups.isEmpty || !counts.isEmpty
                || sequences != journalledSequences
        else { return nil }
        journalledSequences = sequences
        return JournalRecord(
            users: users, deals: deals, groups: groups, requests: counts, sequences: sequences
        )
    }

    /// Applies a journal record; false when it names a position past the end of a list (the journal does
    /// not belong to this snapshot). Indexes are not rebuilt here: call ``rebuildIndexes()`` after the last.
    mutating func replay(_ record: JournalRecord) -> Bool {
        if record.reset == true {
            self = SandboxState()
            return true
        }
        for user in record.users ?? [] {
            guard users.restore(user) else { return false }
        }
        for deal in record.deals ?? [] {
            guard deals.restore(deal) else { return false }
        }
        for group in record.groups ?? [] {
            guard groups.restore(group) else { return false }
        }
        for (endpoint, counts) in record.requests ?? [:] { requests[endpoint] = counts }
        if let sequences = record.sequences {
            self.sequences = sequences
            journalledSequences = sequences
        }
        // Replayed values are on disk already: they must not be journalled again.
        _ = self.users.takeChanges()
        _ = self.deals.takeChanges()
        _ = self.groups.takeChanges()
        return true
    }

    /// The counters that hand out ids and numbers, plus the allowance count.
    var sequences: JournalRecord.Sequences {
        get {
            JournalRecord.Sequences(
                createdObjects: createdObjects, nextUserId: nextUserId, nextDealId: nextDealId,
                nextDealNumber: nextDealNumber, nextGroupId: nextGroupId
            )
        }
        set {
            createdObjects = newValue.createdObjects
            nextUserId = newValue.nextUserId
            nextDealId = newValue.nextDealId
            nextDealNumber = newValue.nextDealNumber
            nextGroupId = newValue.nextGroupId
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
