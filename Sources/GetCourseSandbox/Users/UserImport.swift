/// `/pl/api/users`: actions `add` (create, or update under `refresh_if_exists`) and `update` (replace the
/// group list of the user with `user.id`).
enum UserImport {
    static let actions: Set<String> = ["add", "update"]

    static func handle(_ state: SandboxState, _ context: ImportContext) -> ImportResult {
        do throws(ImportFailure) {
            return context.action == "update" ? try update(state, context) : try add(state, context)
        } catch {
            return .failure(error, action: context.action)
        }
    }

    private static func add(_ state: SandboxState, _ context: ImportContext) throws(ImportFailure) -> ImportResult {
        var plan = try UserPlan(state: state, context: context, requireEmail: false)
        try context.checkAllowance(state, creating: plan.creations)
        let (position, status) = plan.apply(state, now: context.now, sessionToUser: true)
        let answer = APIAnswer.actionSuccess(
            action: context.action,
            [("user_id", .int(state.users[position].id)), ("user_status", .string(status.rawValue))]
        )
        return ImportResult(answer: answer, outcome: "ok")
    }

    /// Replaces the whole group list: groups not named are left, as GetCourse documents.
    private static func update(_ state: SandboxState, _ context: ImportContext) throws(ImportFailure)
        -> ImportResult
    {
        let payload = UserPayload(context.params["user"], knownAddfields: context.knownUserFields)
        guard !payload.id.isEmpty else { throw .row(APIText.noUserId) }
        guard let id = Int(payload.id), let position = state.userIndex(id: id) else {
            throw .row(APIText.userNotFound(payload.id))
        }
        var user = state.users[position]
        if let requested = payload.groups {
            var memberships: [SandboxMembership] = []
            for request in requested where !memberships.contains(where: { $0.name == request.name }) {
                // A group the user keeps keeps its joining date; a new one starts now (or at the given date).
                if let kept = user.groups.first(where: { $0.name == request.name }) {
                    memberships.append(kept)
                    continue
                }
                let addedAt = request.addedAt ?? context.now
                let groupId = state.groupId(named: request.name, touchedAt: addedAt)
                memberships.append(SandboxMembership(groupId: groupId, name: request.name, addedAt: addedAt))
            }
            user.groups = memberships
        }
        user.updatedAt = context.now
        user.updateCount += 1
        state.users[position] = user
        let answer = APIAnswer.actionSuccess(
            action: context.action, [("user_id", .int(id)), ("user_status", .string(UserPlan.Status.updated.rawValue))]
        )
        return ImportResult(answer: answer, outcome: "ok")
    }
}
