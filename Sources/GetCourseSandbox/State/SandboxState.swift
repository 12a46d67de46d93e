import GRDB

/// One call's view of the account, inside the database transaction the call runs in.
///
/// Lookups load users and orders into ``users`` and ``deals``, where the import logic reads and changes
/// them by id; ``flush()`` writes back what changed. Groups, counters and sequences are the store's
/// in-memory ``AccountTotals``, copied for the call. A database error does not stop the logic halfway
/// with a half-built answer: it is kept in ``failure`` and the store rolls the whole call back.
final class SandboxState {
    let db: Database
    var users = RecordCache<SandboxUser>()
    var deals = RecordCache<SandboxDeal>()
    private(set) var totals: AccountTotals
    private var changedGroups: Set<Int> = []
    private var changedCounts: Set<CountKey> = []
    private let loadedSequences: AccountSequences
    /// The first database error of the call.
    private(set) var failure: (any Error)?

    private struct CountKey: Hashable {
        var endpoint: String
        var outcome: String
    }

    init(db: Database, totals: AccountTotals) {
        self.db = db
        self.totals = totals
        loadedSequences = totals.sequences
    }

    /// Emails match case-insensitively after trimming, as GetCourse matches them.
    static func emailKey(_ email: String) -> String { email.trimmingSpaces().lowercased() }

    /// Phones match on their digits only, so `+7 (900) 123-45-67` and `79001234567` are one person.
    static func phoneKey(_ phone: String) -> String? {
        let digits = phone.filter(\.isASCIIDigit)
        return digits.count >= 5 ? digits : nil
    }

    var createdObjects: Int { totals.sequences.createdObjects }

    // MARK: Users

    /// The user with this email; loaded into ``users``.
    func userIndex(email: String) -> Int? {
        let key = Self.emailKey(email)
        if let cached = users.first(where: { Self.emailKey($0.email) == key }) { return cached }
        return loadUser(RecordRows.userByEmail, key)
    }

    /// The user most recently created with this phone; loaded into ``users``.
    func userIndex(phone: String) -> Int? {
        guard let key = Self.phoneKey(phone) else { return nil }
        if let cached = users.first(where: { $0.fields["phone"].flatMap(Self.phoneKey) == key }) { return cached }
        return loadUser(RecordRows.userByPhone, key)
    }

    /// The user with this id; loaded into ``users``.
    func userIndex(id: Int) -> Int? {
        if users.values[id] != nil { return id }
        return loadUser(RecordRows.userById, id)
    }

    private func loadUser(_ sql: String, _ argument: some DatabaseValueConvertible) -> Int? {
        guard let user = readUser(sql, argument) else { return nil }
        users.load(user, id: user.id)
        return user.id
    }

    /// The user with this id as stored, without keeping it: for exports, which read many.
    func fetchUser(id: Int) -> SandboxUser? {
        users.values[id] ?? readUser(RecordRows.userById, id)
    }

    private func readUser(_ sql: String, _ argument: some DatabaseValueConvertible) -> SandboxUser? {
        attempt { () throws -> SandboxUser? in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [argument]) else { return nil }
            let memberships = try Row.fetchAll(
                db.cachedStatement(sql: RecordRows.membershipsOfUser), arguments: [row[0] as Int])
            return try RecordRows.user(row, groups: memberships.map(RecordRows.membership))
        } ?? nil
    }

    /// Adds a new user with the next id and returns the id.
    func insertUser(_ make: (Int) -> SandboxUser) -> Int {
        let user = make(totals.sequences.nextUserId)
        totals.sequences.nextUserId += 1
        totals.sequences.createdObjects += 1
        users.insert(user, id: user.id)
        return user.id
    }

    // MARK: Deals

    /// The order with this number; loaded into ``deals``.
    func dealIndex(number: String) -> Int? {
        if let cached = deals.first(where: { $0.number == number }) { return cached }
        return attempt { () throws -> Int? in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: RecordRows.dealByNumber), arguments: [number])
            else { return nil }
            let deal = try RecordRows.deal(row)
            deals.load(deal, id: deal.id)
            return deal.id
        } ?? nil
    }

    /// The next generated order number that no imported order already uses.
    func takeDealNumber() -> String {
        while numberTaken(String(totals.sequences.nextDealNumber)) { totals.sequences.nextDealNumber += 1 }
        defer { totals.sequences.nextDealNumber += 1 }
        return String(totals.sequences.nextDealNumber)
    }

    private func numberTaken(_ number: String) -> Bool {
        if deals.first(where: { $0.number == number }) != nil { return true }
        let found = attempt {
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM deals WHERE number = ?"), arguments: [number])
        }
        // A failed lookup ends the loop: the call is rolled back anyway.
        guard let found else { return false }
        return found != nil
    }

    func insertDeal(_ make: (Int) -> SandboxDeal) -> Int {
        let deal = make(totals.sequences.nextDealId)
        totals.sequences.nextDealId += 1
        totals.sequences.createdObjects += 1
        deals.insert(deal, id: deal.id)
        return deal.id
    }

    // MARK: Groups

    func group(named name: String) -> SandboxGroup? { totals.groupPosition(named: name).map { totals[group: $0] } }
    func group(id: Int) -> SandboxGroup? { totals.groupPosition(id: id).map { totals[group: $0] } }

    /// The group with this name, created on first use (GetCourse creates groups named by an import).
    func groupId(named name: String, touchedAt time: String) -> Int {
        if let position = totals.groupPosition(named: name) {
            let latest = max(totals[group: position].lastAddedAt ?? "", time)
            if totals[group: position].lastAddedAt != latest {
                totals[group: position].lastAddedAt = latest
                changedGroups.insert(position)
            }
            return totals[group: position].id
        }
        let group = SandboxGroup(id: totals.sequences.nextGroupId, name: name, lastAddedAt: time)
        totals.sequences.nextGroupId += 1
        changedGroups.insert(totals.append(group))
        return group.id
    }

    /// Adds the groups the account starts with (`--groups`) that it does not have yet, each keeping its id
    /// when no other group holds it.
    func seed(groups seeds: [SandboxGroupSeed]) {
        for seed in seeds where totals.groupPosition(named: seed.name) == nil {
            var id = totals.sequences.nextGroupId
            if let wanted = seed.id, wanted > 0, totals.groupPosition(id: wanted) == nil { id = wanted }
            totals.sequences.nextGroupId = max(totals.sequences.nextGroupId, id + 1)
            changedGroups.insert(totals.append(SandboxGroup(id: id, name: seed.name, lastAddedAt: seed.lastAddedAt)))
        }
    }

    // MARK: Counters

    func count(endpoint: String, outcome: String) {
        totals.requests[endpoint, default: SandboxEndpointCounts()].requests += 1
        totals.requests[endpoint, default: SandboxEndpointCounts()].outcomes[outcome, default: 0] += 1
        changedCounts.insert(CountKey(endpoint: endpoint, outcome: outcome))
    }

    // MARK: Reading many

    /// Every user in id order, memberships included, read as the two tables are walked side by side.
    func forEachUser(_ body: (SandboxUser) -> Void) {
        attempt {
            let users = try Row.fetchCursor(db, sql: "SELECT \(RecordRows.userColumns) FROM users ORDER BY id")
            let members = try Row.fetchCursor(
                db, sql: "SELECT user_id, group_id, name, added_at FROM memberships ORDER BY user_id, ordinal")
            var pending: (userId: Int, membership: SandboxMembership)?
            while let row = try users.next() {
                let id: Int = row[0]
                var groups: [SandboxMembership] = []
                while true {
                    if pending == nil, let member = try members.next() {
                        pending = (
                            member[0], SandboxMembership(groupId: member[1], name: member[2], addedAt: member[3])
                        )
                    }
                    guard let next = pending, next.userId <= id else { break }
                    if next.userId == id { groups.append(next.membership) }
                    pending = nil
                }
                body(try RecordRows.user(row, groups: groups))
            }
        }
    }

    /// The members of one group in id order, each with the membership in that group.
    func forEachMember(ofGroup groupId: Int, _ body: (SandboxUser, SandboxMembership) -> Void) {
        attempt {
            let ids = try Int.fetchAll(db, sql: RecordRows.membersOfGroup, arguments: [groupId])
            for id in ids {
                guard let user = fetchUser(id: id), let membership = user.groups.first(where: { $0.groupId == groupId })
                else { continue }
                body(user, membership)
            }
        }
    }

    /// Every order in id order.
    func forEachDeal(_ body: (SandboxDeal) -> Void) {
        attempt {
            let deals = try Row.fetchCursor(db, sql: "SELECT \(RecordRows.dealColumns) FROM deals ORDER BY id")
            while let row = try deals.next() { body(try RecordRows.deal(row)) }
        }
    }

    // MARK: Writing back

    /// Writes what this call created or changed. Called by the store inside the call's transaction.
    func flush() throws {
        if let failure { throw failure }
        for (user, original) in users.changes {
            try db.cachedStatement(sql: RecordRows.writeUser).execute(arguments: try RecordRows.arguments(user))
            guard user.groups != original?.groups else { continue }
            try db.cachedStatement(sql: "DELETE FROM memberships WHERE user_id = ?").execute(arguments: [user.id])
            for (ordinal, membership) in user.groups.enumerated() {
                try db.cachedStatement(sql: "INSERT INTO memberships VALUES (?, ?, ?, ?, ?)").execute(arguments: [
                    user.id, ordinal, membership.groupId, membership.name, membership.addedAt,
                ])
            }
        }
        for (deal, _) in deals.changes {
            try db.cachedStatement(sql: RecordRows.writeDeal).execute(arguments: try RecordRows.arguments(deal))
        }
        for position in changedGroups.sorted() {
            let group = totals[group: position]
            try db.cachedStatement(sql: "REPLACE INTO groups VALUES (?, ?, ?, ?)").execute(arguments: [
                position, group.id, group.name, group.lastAddedAt,
            ])
        }
        for key in changedCounts {
            let count = totals.requests[key.endpoint]?.outcomes[key.outcome] ?? 0
            try db.cachedStatement(sql: "REPLACE INTO requests VALUES (?, ?, ?)").execute(arguments: [
                key.endpoint, key.outcome, count,
            ])
        }
        if totals.sequences != loadedSequences {
            for (name, value) in totals.sequences.rows {
                try db.cachedStatement(sql: "REPLACE INTO counters VALUES (?, ?)").execute(arguments: [name, value])
            }
        }
    }

    /// Runs one database step; an error is kept as the call's failure and the step gives nil.
    @discardableResult
    private func attempt<Value>(_ step: () throws -> Value) -> Value? {
        guard failure == nil else { return nil }
        do {
            return try step()
        } catch {
            failure = error
            return nil
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
