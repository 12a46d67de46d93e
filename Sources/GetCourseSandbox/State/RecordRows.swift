import Foundation
import GRDB

/// How the records map to rows: plain columns for what lookups and exports use, JSON text for the string
/// maps and an order's positions. Keys are sorted, so equal values are equal text in the shell too.
enum RecordRows {
    static let userColumns =
        "id, email, technical_email, fields, addfields, session, is_partner, partner_id, created_at, updated_at, "
        + "update_count"
    static let dealColumns =
        "id, number, user_id, user_email, positions, cost, currency, status, is_paid, payment_type, payment_status, "
        + "manager_email, comment, partner_id, addfields, session, created_at, finished_at, updated_at, update_count"

    // The lookups a call makes, each through an index (`StateDatabaseTests.lookupsUseIndexes`).
    static let userById = "SELECT \(userColumns) FROM users WHERE id = ?"
    static let userByEmail = "SELECT \(userColumns) FROM users WHERE email_key = ? ORDER BY id LIMIT 1"
    /// The user most recently created with the phone.
    static let userByPhone = "SELECT \(userColumns) FROM users WHERE phone_key = ? ORDER BY id DESC LIMIT 1"
    static let membershipsOfUser = "SELECT group_id, name, added_at FROM memberships WHERE user_id = ? ORDER BY ordinal"
    static let dealByNumber = "SELECT \(dealColumns) FROM deals WHERE number = ?"
    static let membersOfGroup = "SELECT DISTINCT user_id FROM memberships WHERE group_id = ? ORDER BY user_id"

    static let writeUser =
        "REPLACE INTO users (\(userColumns), email_key, phone_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    /// An upsert on the id, not a `REPLACE`: a second order with a taken number must fail the call, where
    /// `REPLACE` would silently delete the first.
    static let writeDeal =
        "INSERT INTO deals (\(dealColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT (id) DO UPDATE SET "
        + dealColumns.components(separatedBy: ", ").dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")

    /// A user from a row selected with ``userColumns``; memberships live in their own table.
    static func user(_ row: Row, groups: [SandboxMembership]) throws -> SandboxUser {
        SandboxUser(
            id: row[0], email: row[1], technicalEmail: row[2], fields: try decode(row[3]),
            addfields: try decode(row[4]), groups: groups, session: try decode(row[5]), isPartner: row[6],
            partnerId: row[7], createdAt: row[8], updatedAt: row[9], updateCount: row[10]
        )
    }

    static func arguments(_ user: SandboxUser) throws -> StatementArguments {
        [
            user.id, user.email, user.technicalEmail, encode(user.fields), encode(user.addfields),
            encode(user.session), user.isPartner, user.partnerId, user.createdAt, user.updatedAt,
            user.updateCount, SandboxState.emailKey(user.email), user.fields["phone"].flatMap(SandboxState.phoneKey),
        ]
    }

    static func membership(_ row: Row) -> SandboxMembership {
        SandboxMembership(groupId: row[0], name: row[1], addedAt: row[2])
    }

    /// An order from a row selected with ``dealColumns``.
    static func deal(_ row: Row) throws -> SandboxDeal {
        SandboxDeal(
            id: row[0], number: row[1], userId: row[2], userEmail: row[3], positions: try decode(row[4]),
            cost: row[5], currency: row[6], status: row[7], isPaid: row[8], paymentType: row[9],
            paymentStatus: row[10], managerEmail: row[11], comment: row[12], partnerId: row[13],
            addfields: try decode(row[14]), session: try decode(row[15]), createdAt: row[16], finishedAt: row[17],
            updatedAt: row[18], updateCount: row[19]
        )
    }

    static func arguments(_ deal: SandboxDeal) throws -> StatementArguments {
        [
            deal.id, deal.number, deal.userId, deal.userEmail, try encode(deal.positions), deal.cost, deal.currency,
            deal.status, deal.isPaid, deal.paymentType, deal.paymentStatus, deal.managerEmail, deal.comment,
            deal.partnerId, encode(deal.addfields), encode(deal.session), deal.createdAt, deal.finishedAt,
            deal.updatedAt, deal.updateCount,
        ]
    }

    static func group(_ row: Row) -> SandboxGroup {
        SandboxGroup(id: row[0], name: row[1], lastAddedAt: row[2])
    }

    /// A string map as a JSON object, keys sorted. The sandbox's own writer and parser: Foundation's coders
    /// cost several times more, and this runs three times per call.
    private static func encode(_ map: [String: String]) -> String {
        guard !map.isEmpty else { return "{}" }
        let members = map.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }
        return String(decoding: JSONWriter.bytes(.object(members)), as: UTF8.self)
    }

    private static func decode(_ text: String) throws -> [String: String] {
        guard text != "{}" else { return [:] }
        guard let members = try JSONParser.parse(Array(text.utf8)).objectMembers else { throw DamagedColumn() }
        var map: [String: String] = [:]
        for (name, value) in members {
            guard case .string(let text) = value else { throw DamagedColumn() }
            map[name] = text
        }
        return map
    }

    /// A JSON column that does not hold what its table says (edited by hand, say).
    struct DamagedColumn: Error, CustomStringConvertible {
        var description: String { "a JSON column does not hold a map of strings" }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder = JSONDecoder()

    private static func encode(_ value: [SandboxPosition]) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode(_ text: String) throws -> [SandboxPosition] {
        try decoder.decode([SandboxPosition].self, from: Data(text.utf8))
    }
}
