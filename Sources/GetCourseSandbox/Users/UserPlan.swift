/// A checked plan for the user side of an import call: which user it is, and whether to create, update
/// or leave it. All checks happen in `init`, before anything changes, so a failed row changes nothing.
struct UserPlan {
    var payload: UserPayload
    var existing: Int?
    var refresh: Bool
    var partner: Int?
    var session: [String: String]
    var sessionGiven: Bool

    /// How the user side ended, as `user_status` says it.
    enum Status: String {
        case added
        case updated
        /// Existing user left untouched (no `refresh_if_exists`).
        case exists
    }

    init(state: SandboxState, context: ImportContext, requireEmail: Bool) throws(ImportFailure) {
        payload = UserPayload(context.params["user"], knownAddfields: context.knownUserFields)
        if requireEmail, payload.email.isEmpty { throw .row(APIText.noDealEmail) }
        if payload.email.isEmpty, SandboxState.phoneKey(payload.phone) == nil { throw .row(APIText.noEmailNorPhone) }
        if !payload.email.isEmpty, !FieldRules.isValidEmail(payload.email) {
            throw .row(APIText.invalidEmail(payload.email))
        }
        existing = payload.email.isEmpty ? state.userIndex(phone: payload.phone) : state.userIndex(email: payload.email)
        refresh = context.systemFlag("refresh_if_exists")
        let sessionValue = context.params["session"]
        session = UserPayload.session(sessionValue)
        sessionGiven = sessionValue?.objectMembers != nil
        // session.gcpc wins over system.partner_email.
        let reference = [session["gcpc"], context.params["system"]?["partner_email"]?.scalarText]
            .compactMap { $0?.trimmingSpaces() }.first { !$0.isEmpty }
        if let reference {
            partner = try Self.partner(reference, in: state)
        } else {
            partner = nil
        }
    }

    /// The user a partner reference names: an email, or a user id (what `gcpc` carries).
    static func partner(_ reference: String, in state: SandboxState) throws(ImportFailure) -> Int {
        let found = Int(reference).flatMap(state.userIndex(id:)) ?? state.userIndex(email: reference)
        guard let found else { throw .row(APIText.partnerNotFound(reference)) }
        return found
    }

    /// Objects this plan creates (for the allowance).
    var creations: Int { existing == nil ? 1 : 0 }

    /// Applies the plan. `sessionToUser` is false for deals updating an existing user: there the session
    /// belongs to the order, not to the user.
    mutating func apply(_ state: SandboxState, now: String, sessionToUser: Bool) -> (position: Int, Status) {
        if let existing {
            guard refresh else { return (existing, .exists) }
            // Copied out and back: the user and the group table are both parts of `state`.
            var user = state.users[existing]
            update(&user, in: state, now: now, sessionToUser: sessionToUser)
            state.users[existing] = user
            markPartner(state, for: existing)
            return (existing, .updated)
        }
        let email = payload.email.isEmpty ? Self.technicalEmail(phone: payload.phone) : payload.email
        let position = state.insertUser { id in
            SandboxUser(
                id: id, email: email, technicalEmail: payload.email.isEmpty, fields: payload.fields,
                addfields: payload.addfields, groups: [], session: session, isPartner: false, partnerId: nil,
                createdAt: now, updatedAt: now, updateCount: 0
            )
        }
        var user = state.users[position]
        addGroups(payload.groups ?? [], to: &user, in: state, now: now)
        state.users[position] = user
        markPartner(state, for: position)
        return (position, .added)
    }

    private func update(_ user: inout SandboxUser, in state: SandboxState, now: String, sessionToUser: Bool) {
        user.fields.merge(payload.fields) { _, new in new }
        user.addfields.merge(payload.addfields) { _, new in new }
        addGroups(payload.groups ?? [], to: &user, in: state, now: now)
        if sessionToUser, sessionGiven { user.session = session }
        user.updatedAt = now
        user.updateCount += 1
    }

    /// Adds groups the user is not yet in; memberships already held keep their date.
    func addGroups(
        _ groups: [UserPayload.GroupRequest], to user: inout SandboxUser, in state: SandboxState, now: String
    ) {
        for request in groups where !user.groups.contains(where: { $0.name == request.name }) {
            let addedAt = request.addedAt ?? now
            let id = state.groupId(named: request.name, touchedAt: addedAt)
            user.groups.append(SandboxMembership(groupId: id, name: request.name, addedAt: addedAt))
        }
    }

    /// Records the referral and makes the partner a partner if they were not one yet.
    private func markPartner(_ state: SandboxState, for position: Int) {
        guard let partner, partner != position else { return }
        state.users[position].partnerId = state.users[partner].id
        state.users[partner].isPartner = true
    }

    /// GetCourse invents an email for a user imported with a phone only; the sandbox's is recognisable.
    static func technicalEmail(phone: String) -> String {
        (SandboxState.phoneKey(phone) ?? "unknown") + "@phone.sandbox.invalid"
    }
}
