/// `/pl/api/deals`, action `add`: finds or creates the owner, then creates the order or updates the one
/// with the same `deal_number`.
///
/// A deal without `deal_number` is not idempotent: each call creates a new order with a generated number,
/// exactly as the real service does, so a client that resends one after a lost answer makes a double.
enum DealImport {
    static let actions: Set<String> = ["add"]

    static func handle(_ state: SandboxState, _ context: ImportContext) -> ImportResult {
        do throws(ImportFailure) {
            return try add(state, context)
        } catch {
            return .failure(error, action: context.action)
        }
    }

    private static func add(_ state: SandboxState, _ context: ImportContext) throws(ImportFailure) -> ImportResult {
        guard let dealValue = context.params["deal"], dealValue.objectMembers != nil else { throw .row(APIText.noDeal) }
        var userPlan = try UserPlan(state: state, context: context, requireEmail: true)
        let deal = try DealPayload(dealValue, knownAddfields: context.knownDealFields)
        let existing = deal.number.flatMap(state.dealIndex(number:))
        if existing == nil {
            guard deal.position != nil else { throw .row(APIText.noOffer) }
            guard let cost = deal.cost, cost > 0 else { throw .row(APIText.noCost) }
        }
        // The order's partner: session.gcpc wins over deal.partner_email.
        let reference = [userPlan.session["gcpc"], deal.partnerEmail].compactMap { $0 }.first { !$0.isEmpty }
        var partner: Int?
        if let reference { partner = try UserPlan.partner(reference, in: state) }
        try context.checkAllowance(state, creating: userPlan.creations + (existing == nil ? 1 : 0))

        let (userPosition, userStatus) = userPlan.apply(state, now: context.now, sessionToUser: false)
        let owner = state.users[userPosition]
        if let partner { state.users[partner].isPartner = true }
        let partnerId = partner.map { state.users[$0].id }
        let position: Int
        if let existing {
            update(&state.deals[existing], with: deal, context: context, partnerId: partnerId)
            position = existing
        } else {
            let number = deal.number ?? state.takeDealNumber()
            position = state.insertDeal { id in
                SandboxDeal(
                    id: id, number: number, userId: owner.id, userEmail: owner.email,
                    positions: deal.position.map { [$0] } ?? [], cost: deal.cost ?? 0,
                    currency: deal.currency ?? DealValueSets.baseCurrency, status: deal.effectiveStatus,
                    isPaid: deal.isPaid ?? (deal.effectiveStatus == "payed"), paymentType: deal.paymentType,
                    paymentStatus: deal.paymentStatus, managerEmail: deal.managerEmail, comment: deal.comment,
                    partnerId: partnerId, addfields: deal.addfields, session: userPlan.session,
                    createdAt: deal.createdAt ?? context.now, finishedAt: deal.finishedAt, updatedAt: context.now,
                    updateCount: 0
                )
            }
        }
        return ImportResult(
            answer: answer(for: state.deals[position], userStatus: userStatus, context: context),
            outcome: "ok"
        )
    }

    /// A known number: status, payment and fields change; positions are replaced, or appended under
    /// `system.multiple_offers`.
    private static func update(
        _ existing: inout SandboxDeal, with deal: DealPayload, context: ImportContext, partnerId: Int?
    ) {
        if let position = deal.position {
            if context.systemFlag("multiple_offers") {
                existing.positions.append(position)
                existing.cost = existing.positions.reduce(0) { $0 + $1.cost * Double($1.quantity) }
            } else {
                existing.positions = [position]
                existing.cost = deal.cost ?? existing.cost
            }
        } else if let cost = deal.cost {
            existing.cost = cost
        }
        if let status = deal.status {
            existing.status = status
            if status == "payed" { existing.isPaid = true }
        }
        if let isPaid = deal.isPaid { existing.isPaid = isPaid }
        existing.paymentType = deal.paymentType ?? existing.paymentType
        existing.paymentStatus = deal.paymentStatus ?? existing.paymentStatus
        existing.currency = deal.currency ?? existing.currency
        existing.managerEmail = deal.managerEmail ?? existing.managerEmail
        existing.comment = deal.comment ?? existing.comment
        existing.finishedAt = deal.finishedAt ?? existing.finishedAt
        existing.partnerId = partnerId ?? existing.partnerId
        existing.addfields.merge(deal.addfields) { _, new in new }
        existing.updatedAt = context.now
        existing.updateCount += 1
    }

    private static func answer(for deal: SandboxDeal, userStatus: UserPlan.Status, context: ImportContext) -> JSONValue
    {
        let number: JSONValue =
            if !context.systemFlag("return_deal_number") {
                ""
            } else if let numeric = Int(deal.number), String(numeric) == deal.number {
                .int(numeric)
            } else {
                .string(deal.number)
            }
        var link = ""
        if context.systemFlag("return_payment_link") {
            var hash = SplitMix64(seed: UInt64(deal.id))
            link =
                "http://\(context.host)/sales/shop/dealPay/id/\(deal.id)/hash/"
                + String(hash.next(), radix: 16)
        }
        return APIAnswer.actionSuccess(
            action: context.action,
            [
                ("user_id", .int(deal.userId)), ("user_status", .string(userStatus.rawValue)),
                ("deal_id", .int(deal.id)), ("deal_number", number), ("payment_link", .string(link)),
            ]
        )
    }
}
