/// The records the sandbox keeps, as they appear in `GET /__sandbox/state` and in the `--state` file.
///
/// Field names follow GetCourse's own (`first_name`, `deal_number`, …) so a test can compare what it sent
/// with what landed without a translation table. Dates are `YYYY-MM-DD HH:MM:SS` in UTC.

/// A user of the emulated account.
public struct SandboxUser: Codable, Sendable, Equatable {
    public var id: Int
    /// As sent, trimmed; the lookup key is its lowercased form.
    public var email: String
    /// True when GetCourse had to invent the email because only a phone was given.
    public var technicalEmail: Bool
    /// Profile fields by GetCourse name: `first_name`, `last_name`, `middle_name`, `phone`, `city`,
    /// `country`, `birthday`.
    public var fields: [String: String]
    /// Additional fields (`addfields`) that the account knows; unknown names are dropped, as GetCourse does.
    public var addfields: [String: String]
    public var groups: [SandboxMembership]
    /// The registration context (`session`): utm_*, referer, gcpc, gcao…; replaced on refresh.
    public var session: [String: String]
    public var isPartner: Bool
    public var partnerId: Int?
    public var createdAt: String
    public var updatedAt: String
    /// How many times an import changed this user after creating it.
    public var updateCount: Int

    private enum CodingKeys: String, CodingKey {
        case id, email
        case technicalEmail = "technical_email"
        case fields, addfields, groups, session
        case isPartner = "is_partner"
        case partnerId = "partner_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case updateCount = "update_count"
    }
}

/// A user's membership of a group.
public struct SandboxMembership: Codable, Sendable, Equatable {
    public var groupId: Int
    public var name: String
    public var addedAt: String

    private enum CodingKeys: String, CodingKey {
        case groupId = "group_id"
        case name
        case addedAt = "added_at"
    }
}

/// A group, created the first time an import names it.
public struct SandboxGroup: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var lastAddedAt: String?

    private enum CodingKeys: String, CodingKey {
        case id, name
        case lastAddedAt = "last_added_at"
    }
}

/// One position (offer) of an order.
public struct SandboxPosition: Codable, Sendable, Equatable {
    public var offerCode: String?
    public var offerId: String?
    public var productTitle: String?
    public var productDescription: String?
    public var quantity: Int
    public var cost: Double

    private enum CodingKeys: String, CodingKey {
        case offerCode = "offer_code"
        case offerId = "offer_id"
        case productTitle = "product_title"
        case productDescription = "product_description"
        case quantity, cost
    }
}

/// An order (deal).
public struct SandboxDeal: Codable, Sendable, Equatable {
    public var id: Int
    public var number: String
    public var userId: Int
    public var userEmail: String
    public var positions: [SandboxPosition]
    public var cost: Double
    public var currency: String
    public var status: String
    public var isPaid: Bool
    public var paymentType: String?
    public var paymentStatus: String?
    public var managerEmail: String?
    public var comment: String?
    public var partnerId: Int?
    public var addfields: [String: String]
    /// UTM context of the order (`session`).
    public var session: [String: String]
    public var createdAt: String
    public var finishedAt: String?
    public var updatedAt: String
    public var updateCount: Int

    private enum CodingKeys: String, CodingKey {
        case id, number
        case userId = "user_id"
        case userEmail = "user_email"
        case positions, cost, currency, status
        case isPaid = "is_paid"
        case paymentType = "payment_type"
        case paymentStatus = "payment_status"
        case managerEmail = "manager_email"
        case comment
        case partnerId = "partner_id"
        case addfields, session
        case createdAt = "created_at"
        case finishedAt = "finished_at"
        case updatedAt = "updated_at"
        case updateCount = "update_count"
    }
}

/// What one endpoint was asked and how it answered.
public struct SandboxEndpointCounts: Codable, Sendable, Equatable {
    /// Requests that reached the endpoint, whatever happened to them.
    public var requests: Int = 0
    /// Answers by outcome: `ok`, `action_error`, `call_error`, `http_500`, `http_429`, `dropped`,
    /// `empty_body`, `redirect`, `wrong_subdomain`, `limit`, `export_error`.
    public var outcomes: [String: Int] = [:]

    public init() {}
}
