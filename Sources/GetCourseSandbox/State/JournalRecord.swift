/// One line of the `FILE.journal`: what one change did to the account, in whole values.
///
/// ```json
/// {"users":[{"at":0,"value":{…}}],"requests":{"/pl/api/users":{…}},"sequences":{…}}
/// {"reset":true}
/// ```
///
/// Objects are keyed by their position in the state's list; counters and sequences are absolute, not
/// increments. Applying a record therefore sets values rather than adding to them, so replaying records on
/// a snapshot that already contains them changes nothing: the journal needs no sequence numbers to line up
/// with the snapshot it follows.
struct JournalRecord: Codable, Sendable {
    /// True for `POST /__sandbox/reset`: the account was emptied; the other members are absent.
    var reset: Bool?
    var users: [Placed<SandboxUser>]?
    var deals: [Placed<SandboxDeal>]?
    var groups: [Placed<SandboxGroup>]?
    /// The counters of the endpoints the change counted a request at.
    var requests: [String: SandboxEndpointCounts]?
    var sequences: Sequences?

    /// The id sequences and the allowance count, after the change.
    struct Sequences: Codable, Sendable, Equatable {
        var createdObjects: Int
        var nextUserId: Int
        var nextDealId: Int
        var nextDealNumber: Int
        var nextGroupId: Int

        /// A new account's: what ``SandboxState/init()`` starts from.
        static let initial = Sequences(
            createdObjects: 0, nextUserId: 100_000_001, nextDealId: 300_000_001, nextDealNumber: 1_000_001,
            nextGroupId: 5_000_001
        )

        private enum CodingKeys: String, CodingKey {
            case createdObjects = "created_objects"
            case nextUserId = "next_user_id"
            case nextDealId = "next_deal_id"
            case nextDealNumber = "next_deal_number"
            case nextGroupId = "next_group_id"
        }
    }

    /// The record of a reset.
    static let resetRecord = JournalRecord(reset: true)

    private init(reset: Bool) {
        self.reset = reset
    }

    /// A change record; empty lists are left out of the line.
    init(
        users: [Placed<SandboxUser>], deals: [Placed<SandboxDeal>], groups: [Placed<SandboxGroup>],
        requests: [String: SandboxEndpointCounts], sequences: Sequences
    ) {
        self.users = users.isEmpty ? nil : users
        self.deals = deals.isEmpty ? nil : deals
        self.groups = groups.isEmpty ? nil : groups
        self.requests = requests.isEmpty ? nil : requests
        self.sequences = sequences
    }
}
