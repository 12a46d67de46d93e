/// What exports contain: columns (`info.fields`) and rows of strings (`info.items`), plus the two
/// directories that answer at once (groups, additional fields).
///
/// Column names are the sandbox's choice, modelled on GetCourse's CSV export headers; the real export
/// has more columns. Every value is a string, empty when unknown, as clients must expect.
enum ExportTables {
    /// The object an export lists.
    enum Kind: Equatable {
        case users
        case deals
        case payments
        case groupUsers(Int)

        init(_ name: String, groupId: Int?) {
            switch name {
            case "deals": self = .deals
            case "payments": self = .payments
            case "groups": self = .groupUsers(groupId ?? 0)
            default: self = .users
            }
        }
    }

    /// The columns of an export of `kind`.
    static func columns(_ kind: Kind, configuration: SandboxConfiguration) -> [String] {
        switch kind {
        case .users: userFields(configuration)
        case .groupUsers: userFields(configuration) + ["ID группы", "Добавлен в группу"]
        case .deals: dealFields + configuration.dealAdditionalFields
        case .payments: paymentFields
        }
    }

    /// Calls `row` with each row the export lists, in the database's order, without holding them.
    static func forEachRow(
        _ kind: Kind, filters: ExportFilters, state: SandboxState, configuration: SandboxConfiguration,
        _ row: ([String]) -> Void
    ) {
        switch kind {
        case .users:
            state.forEachUser { user in
                guard userMatches(user, filters) else { return }
                row(userRow(user, state: state, configuration: configuration))
            }
        case .groupUsers(let groupId):
            state.forEachMember(ofGroup: groupId) { user, membership in
                guard userMatches(user, filters), filters.matches("added_at", membership.addedAt) else { return }
                row(userRow(user, state: state, configuration: configuration) + [String(groupId), membership.addedAt])
            }
        case .deals:
            state.forEachDeal { deal in
                guard
                    filters.matches("created_at", deal.createdAt)
                        && filters.matches("payed_at", deal.isPaid ? (deal.finishedAt ?? deal.updatedAt) : nil)
                        && filters.matches("finished_at", deal.finishedAt)
                        && filters.matches("status_changed_at", deal.updatedAt)
                        && (filters.status == nil || filters.status == deal.status)
                else { return }
                row(dealRow(deal, state, configuration))
            }
        case .payments:
            state.forEachDeal { deal in
                guard
                    (deal.isPaid || deal.paymentStatus != nil) && filters.matches("created_at", deal.createdAt)
                        && filters.matches("status_changed_at", deal.updatedAt)
                        && (filters.status == nil || filters.status == paymentStatus(deal))
                else { return }
                row(paymentRow(deal))
            }
        }
    }

    // MARK: Users

    private static func userMatches(_ user: SandboxUser, _ filters: ExportFilters) -> Bool {
        // Every imported user is active; `in_base` (never logged in) matches none of them.
        filters.matches("created_at", user.createdAt) && (filters.status == nil || filters.status == "active")
    }

    static func userFields(_ configuration: SandboxConfiguration) -> [String] {
        [
            "id", "Email", "Тип регистрации", "Создан", "Имя", "Фамилия", "Отчество", "Телефон", "Дата рождения",
            "Страна", "Город", "От партнера", "ID партнера", "Группы", "utm_source", "utm_medium", "utm_campaign",
            "utm_content", "utm_term",
        ] + configuration.additionalFields
    }

    private static func userRow(
        _ user: SandboxUser, state: SandboxState, configuration: SandboxConfiguration
    ) -> [String] {
        let partner = user.partnerId.flatMap(state.fetchUser(id:))
        let profile: [String] = ["first_name", "last_name", "middle_name", "phone", "birthday", "country", "city"]
            .map { user.fields[$0] ?? "" }
        let partnerColumns: [String] = [partner?.email ?? "", user.partnerId.map(String.init) ?? ""]
        let groups: String = user.groups.map(\.name).joined(separator: ", ")
        let utm: [String] = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"]
            .map { user.session[$0] ?? "" }
        let extra: [String] = configuration.additionalFields.map { user.addfields[$0] ?? "" }
        let head: [String] = [String(user.id), user.email, "Импорт", user.createdAt]
        return head + profile + partnerColumns + [groups] + utm + extra
    }

    // MARK: Deals and payments

    /// The real export's titles where they are known (DESIGN.md); `Состав заказа` lists what was bought
    /// (the sandbox has no offer catalogue, so a position bought by `offer_code` alone shows its code).
    static let dealFields = [
        "ID заказа", "Номер", "ID пользователя", "Пользователь", "Email", "Дата создания", "Дата оплаты",
        "Дата завершения", "Состав заказа", "Статус", "Стоимость, RUB", "Оплачено", "Валюта", "Платежная система",
        "Статус платежа", "Менеджер", "ID партнера", "Комментарий",
    ]

    private static func dealRow(_ deal: SandboxDeal, _ state: SandboxState, _ configuration: SandboxConfiguration)
        -> [String]
    {
        let title = deal.positions.map { $0.productTitle ?? $0.offerCode ?? $0.offerId ?? "" }.joined(separator: ", ")
        let owner = state.fetchUser(id: deal.userId)
        let name = [owner?.fields["first_name"], owner?.fields["last_name"]].compactMap { $0 }.joined(separator: " ")
        let paidAt = deal.isPaid ? deal.finishedAt ?? deal.updatedAt : ""
        return [
            String(deal.id), deal.number, String(deal.userId), name, deal.userEmail, deal.createdAt, paidAt,
            deal.finishedAt ?? "", title, deal.status, JSONValue.format(deal.cost),
            deal.isPaid ? JSONValue.format(deal.cost) : "0", deal.currency,
            deal.paymentType ?? "", deal.paymentStatus ?? "", deal.managerEmail ?? "",
            deal.partnerId.map(String.init) ?? "", deal.comment ?? "",
        ] + configuration.dealAdditionalFields.map { deal.addfields[$0] ?? "" }
    }

    static let paymentFields = ["Номер", "Email", "Заказ", "Дата создания", "Тип", "Статус", "Сумма", "Валюта"]

    private static func paymentStatus(_ deal: SandboxDeal) -> String {
        deal.paymentStatus ?? (deal.isPaid ? "accepted" : "expected")
    }

    private static func paymentRow(_ deal: SandboxDeal) -> [String] {
        [
            String(deal.id), deal.userEmail, deal.number, deal.createdAt, deal.paymentType ?? "",
            paymentStatus(deal), JSONValue.format(deal.cost), deal.currency,
        ]
    }

    // MARK: Directories

    /// `/pl/api/account/groups`: `info` is the list of groups with `id`, `name`, `last_added_at` (null when
    /// nobody was ever added).
    static func groups(_ groups: [SandboxGroup]) -> JSONValue {
        .array(
            groups.map { group in
                .object([
                    ("id", .int(group.id)), ("name", .string(group.name)),
                    ("last_added_at", .optional(group.lastAddedAt)),
                ])
            }
        )
    }

    /// `/pl/api/account/fields`: the account's additional fields in the shape public clients observe,
    /// `{"id","type","title","required","field_order_pos","context_type"}`.
    static func fields(_ configuration: SandboxConfiguration) -> JSONValue {
        .array(
            configuration.fields.map { field in
                .object([
                    ("id", .int(field.id)), ("type", .string(field.type)), ("title", .string(field.title)),
                    ("required", .int(field.required ? 1 : 0)), ("field_order_pos", .int(field.orderPosition)),
                    ("context_type", .string(field.context.rawValue)),
                ])
            }
        )
    }
}
