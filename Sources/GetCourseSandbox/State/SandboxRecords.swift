/// The records the sandbox keeps, as they appear in `GET /__sandbox/state` and in the `--state` file.
///
/// Field names follow GetCourse's own (`first_name`, `deal_number`, …) so a test can compare what it sent
/// with what landed without a translation table. Dates are `YYYY-MM-DD HH:MM:SS` in UTC.

/// A user of the emulated account.
package struct SandboxUser: Codable, Sendable, Equatable {
    package var id: Int
    /// As sent, trimmed; the lookup key is its lowercased form.
    package var email: String
    /// True when GetCourse had to invent the email because only a phone was given.
    var technicalEmail: Bool
    /// Profile fields by GetCourse name: `first_name`, `last_name`, `middle_name`, `phone`, `city`,
    /// `country`, `birthday`.
    package var fields: [String: String]
    /// Additional fields (`addfields`) that the account knows; unknown names are dropped, as GetCourse does.
    var addfields: [String: String]
    package var groups: [SandboxMembership]
    /// The registration context (`session`): utm_*, referer, gcpc, gcao…; replaced on refresh.
    var session: [String: String]
    var isPartner: Bool
    var partnerId: Int?
    var createdAt: String
    var updatedAt: String
    /// How many times an import changed this user after creating it.
    package var updateCount: Int

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
package struct SandboxMembership: Codable, Sendable, Equatable {
    var groupId: Int
    package var name: String
    var addedAt: String

    private enum CodingKeys: String, CodingKey {
        case groupId = "group_id"
        case name
        case addedAt = "added_at"
    }
}

/// A group, created the first time an import names it.
package struct SandboxGroup: Codable, Sendable, Equatable {
    var id: Int
    var name: String
    var lastAddedAt: String?

    private enum CodingKeys: String, CodingKey {
        case id, name
        case lastAddedAt = "last_added_at"
    }
}

/// One position (offer) of an order.
package struct SandboxPosition: Codable, Sendable, Equatable {
    var offerCode: String?
    var offerId: String?
    var productTitle: String?
    var productDescription: String?
    var quantity: Int
    var cost: Double

    private enum CodingKeys: String, CodingKey {
        case offerCode = "offer_code"
        case offerId = "offer_id"
        case productTitle = "product_title"
        case productDescription = "product_description"
        case quantity, cost
    }
}

/// An order (deal).
package struct SandboxDeal: Codable, Sendable, Equatable {
    package var id: Int
    package var number: String
    var userId: Int
    package var userEmail: String
    var positions: [SandboxPosition]
    package var cost: Double
    var currency: String
    package var status: String
    var isPaid: Bool
    var paymentType: String?
    var paymentStatus: String?
    var managerEmail: String?
    var comment: String?
    var partnerId: Int?
    var addfields: [String: String]
    /// UTM context of the order (`session`).
    var session: [String: String]
    var createdAt: String
    var finishedAt: String?
    var updatedAt: String
    var updateCount: Int

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
package struct SandboxEndpointCounts: Codable, Sendable, Equatable {
    /// Requests that reached the endpoint, whatever happened to them.
    package var requests: Int = 0
    /// Answers by outcome: `ok`, `action_error`, `call_error`, `http_500`, `http_429`, `dropped`,
    /// `empty_body`, `redirect`, `wrong_subdomain`, `limit`, `export_error`.
    package var outcomes: [String: Int] = [:]

    init() {}
}
