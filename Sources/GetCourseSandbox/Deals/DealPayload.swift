/// The `deal` object of a deals import call, checked against the closed value sets. All checks happen in
/// `init`, before anything changes.
struct DealPayload {
    var number: String?
    var position: SandboxPosition?
    var cost: Double?
    var status: String?
    var paymentStatus: String?
    var paymentType: String?
    var currency: String?
    var isPaid: Bool?
    var managerEmail: String?
    var comment: String?
    var createdAt: String?
    var finishedAt: String?
    var partnerEmail: String?
    var addfields: [String: String]

    init(_ deal: JSONValue, knownAddfields: Set<String>) throws(ImportFailure) {
        let text = { (key: String) -> String? in
            guard let value = deal[key]?.scalarText?.trimmingSpaces(), !value.isEmpty else { return nil }
            return value
        }
        number = text("deal_number")
        if let raw = deal["deal_cost"], raw != .null, raw.scalarText?.trimmingSpaces().isEmpty == false {
            guard let amount = FieldRules.amount(raw) else { throw .row(APIText.invalidCost(raw.scalarText ?? "")) }
            cost = amount
        }
        var quantity = 1
        if let raw = text("quantity") {
            guard let value = Int(raw) ?? Double(raw).flatMap({ $0.rounded() == $0 ? Int($0) : nil }), value > 0
            else { throw .row(APIText.invalidQuantity(raw)) }
            quantity = value
        }
        status = try Self.member(text("deal_status"), of: DealValueSets.dealStatuses, APIText.unknownDealStatus)
        paymentStatus = try Self.member(
            text("payment_status"), of: DealValueSets.paymentStatuses, APIText.unknownPaymentStatus
        )
        paymentType = try Self.member(text("payment_type"), of: DealValueSets.paymentTypes, APIText.unknownPaymentType)
        // Currency codes are read case-insensitively (`rub` is RUB); the other sets are case-sensitive.
        currency = try Self.member(
            text("deal_currency")?.uppercased(), of: DealValueSets.currencies, APIText.unknownCurrency
        )
        isPaid = deal["deal_is_paid"].flatMap { $0.scalarText?.isEmpty == false ? $0.isTruthy : nil }
        managerEmail = text("manager_email")
        comment = text("deal_comment") ?? text("comment")
        createdAt = text("deal_created_at").map { FieldRules.normalizedDateTime($0) ?? $0 }
        finishedAt = text("deal_finished_at").map { FieldRules.normalizedDateTime($0) ?? $0 }
        partnerEmail = text("partner_email")
        var addfields: [String: String] = [:]
        for (name, value) in deal["addfields"]?.objectMembers ?? [] where knownAddfields.contains(name) {
            if let text = value.scalarText { addfields[name] = text }
        }
        self.addfields = addfields
        let offerCode = text("offer_code")
        let offerId = text("offer_id")
        let title = text("product_title")
        if offerCode != nil || offerId != nil || title != nil {
            position = SandboxPosition(
                offerCode: offerCode, offerId: offerId, productTitle: title,
                productDescription: text("product_description"), quantity: quantity, cost: cost ?? 0
            )
        }
    }

    private static func member(
        _ value: String?, of set: Set<String>, _ message: (String) -> String
    ) throws(ImportFailure) -> String? {
        guard let value else { return nil }
        guard set.contains(value) else { throw .row(message(value)) }
        return value
    }

    /// The status a new order gets: the one sent, else `payed` for a paid order, else `new`.
    var effectiveStatus: String { status ?? (isPaid == true ? "payed" : "new") }
}
