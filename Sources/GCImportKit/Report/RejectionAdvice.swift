// What a user can do about a row GetCourse refused, for the texts whose cause is known (seeds, DESIGN.md, the
// sandbox's own texts). Shown beside the message in `report` and in the `failed` CSV's `_error` column.

/// Advice for a rejection message, matched case-insensitively on a fragment of GetCourse's text.
package enum RejectionAdvice {
    static let table: [(fragments: [String], advice: String)] = [
        (
            ["партнер не найден", "partner not found"],
            "the partner must already be a user of this account: import the partners first (as users), or drop "
                + "the partner column (system.partner_email, deal.partner_email, session.gcpc) from the mapping"
        ),
        (
            ["пользователь не найден", "user not found"],
            "the user id must be a user of this account (ids from another account's export do not carry over); "
                + "map ids from this account's own user export"
        ),
        (
            ["offer not found", "предложение не найдено", "оффер не найден"],
            "deal.offer_code must be the code of an offer that exists in this account (the offer's settings show "
                + "it); create the offer, or send deal.product_title instead"
        ),
        (
            ["user already exists", "пользователь уже существует"],
            "set system.refresh_if_exists: {value: 1} in the mapping to update users that exist"
        ),
        (
            ["некорректный email", "invalid email", "неверный email"],
            "GetCourse refused the address although it passed the dry run's check; correct it in the file"
        ),
        (
            ["не указан email или телефон", "email or phone required"],
            "the row reached GetCourse with neither an email nor a phone; fill one in"
        ),
        (
            ["неизвестный статус", "неизвестный тип платежа", "неизвестная валюта"],
            "the value is not one of GetCourse's codes; translate the file's words with a map: on the field"
        ),
        (
            ["не указаны параметры"],
            "the call arrived without its params (a proxy may have changed the form body); send the ledger with "
                + "a bug report"
        ),
    ]

    /// What to do about `message`, when its cause is known.
    static func advice(for message: String) -> String? {
        let lowered = message.lowercased()
        return table.first { entry in entry.fragments.contains { lowered.contains($0) } }?.advice
    }

    /// `message` with its advice after « → », as the `failed` CSV writes it.
    static func annotated(_ message: String) -> String {
        advice(for: message).map { message + " → " + $0 } ?? message
    }
}
