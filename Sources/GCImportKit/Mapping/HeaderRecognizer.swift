// `mapping init`: common GetCourse-export and Excel headers (Russian and English) and the payload fields they
// usually mean. A guess the user reviews, not a rule: the starter mapping says so in its comments.

import Foundation

/// What a recognised header becomes in a starter mapping.
struct HeaderGuess: Sendable, Equatable {
    var path: String
    var transforms: [String]
    var split: String?
    /// Only deal mappings use it (a deal column in a user file is left as a suggestion).
    var dealOnly = false
    /// Used only when no other column claims the same field (GetCourse's «ID заказа» beside «Номер»).
    var weak = false
}

/// Matches headers against known names, ignoring case, spaces, punctuation and «ё».
enum HeaderRecognizer {
    static func normalise(_ header: String) -> String {
        String(
            header.lowercased().replacingOccurrences(of: "ё", with: "е").unicodeScalars.filter {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_"
            })
    }

    /// Exact names first (people's words, then the API's own keys: `deal_cost`, `user.first_name`); a few
    /// prefixes («стоимость, rub», «сумма заказа») after.
    static func guess(_ header: String) -> HeaderGuess? {
        let key = normalise(header)
        if let hit = exact[key] ?? apiNames[key] { return hit }
        for (prefix, guess) in prefixes where key.hasPrefix(prefix) { return guess }
        return nil
    }

    /// Every key of the catalogue under its own name and its full path, with the transforms its type needs.
    private static let apiNames: [String: HeaderGuess] = {
        var map: [String: HeaderGuess] = [:]
        for field in PayloadField.catalogue {
            let guess = HeaderGuess(
                path: field.path, transforms: transforms(for: field.type),
                split: field.type == .groups ? ";," : nil, dealOnly: !field.kinds.contains(.user))
            for name in [field.key, field.path] where map[normalise(name)] == nil { map[normalise(name)] = guess }
        }
        for (alias, path) in PayloadField.aliases {
            if let guess = map[normalise(path)] { map[normalise(alias)] = guess }
        }
        return map
    }()

    /// The transforms a starter mapping gives a field of `type`.
    static func transforms(for type: FieldType) -> [String] {
        switch type {
        case .email: ["trim", "email"]
        case .phone: ["phone"]
        case .money: ["money"]
        case .date, .dateTime: ["date"]
        case .closed(.currency): ["trim", "upper"]
        default: ["trim"]
        }
    }

    private static func user(_ path: String, _ transforms: [String] = ["trim"]) -> HeaderGuess {
        HeaderGuess(path: path, transforms: transforms)
    }

    private static func deal(_ path: String, _ transforms: [String] = ["trim"]) -> HeaderGuess {
        HeaderGuess(path: path, transforms: transforms, dealOnly: true)
    }

    private static let table: [([String], HeaderGuess)] = [
        (
            [
                "email", "e-mail", "почта", "эл. адрес", "эл.адрес", "электронная почта", "адрес электронной почты",
                "mail",
                "емейл", "имейл", "e-mail пользователя", "email пользователя",
            ], user("user.email", ["trim", "email"])
        ),
        (
            [
                "телефон", "phone", "тел", "мобильный", "мобильный телефон", "номер телефона", "phone number",
                "моб. телефон", "моб. тел", "сотовый", "сотовый телефон", "контактный телефон", "mobile",
                "mobile phone",
            ],
            user("user.phone", ["phone"])
        ),
        (
            [
                "имя", "first name", "firstname", "first_name", "name", "фио", "ф.и.о.", "имя и фамилия",
                "фамилия и имя", "полное имя", "full name", "fullname",
            ], user("user.first_name")
        ),
        (["фамилия", "last name", "lastname", "last_name", "surname"], user("user.last_name")),
        (["отчество", "middle name", "middlename", "patronymic"], user("user.middle_name")),
        (
            ["дата рождения", "день рождения", "др", "birthday", "birth date", "date of birth", "birthdate"],
            user("user.birthday", ["date"])
        ),
        (["город", "city"], user("user.city")),
        (["страна", "country"], user("user.country")),
        (
            ["группы", "группа", "groups", "group", "group_name", "группы пользователя"],
            HeaderGuess(path: "user.group_name", transforms: ["trim"], split: ";,")
        ),
        (
            ["партнер", "email партнера", "от партнера", "partner", "partner_email"],
            user("system.partner_email", ["trim", "email"])
        ),
        (["id", "user_id", "user id", "id пользователя", "ид пользователя"], user("user.id")),
        (["gcpc"], user("session.gcpc")), (["gcao"], user("session.gcao")),
        (["utm_term", "utm term"], user("session.utm_term")),
        (["referer", "реферер", "referrer"], user("session.referer")),
        (
            ["номер", "номер заказа", "номер сделки", "order", "order number", "deal_number", "заказ"],
            deal("deal.deal_number")
        ),
        (
            ["id заказа", "ид заказа", "order id"],
            HeaderGuess(path: "deal.deal_number", transforms: ["trim"], dealOnly: true, weak: true)
        ),
        (
            [
                "продукт", "товар", "название", "product", "product_title", "предложение", "название предложения",
                "состав заказа", "предложения", "товары", "продукты",
            ],
            deal("deal.product_title")
        ),
        (["код предложения", "offer_code", "код", "offer code", "артикул"], deal("deal.offer_code")),
        (["описание", "product_description", "description"], deal("deal.product_description")),
        (["количество", "кол-во", "quantity", "qty"], deal("deal.quantity")),
        (["валюта", "currency", "deal_currency"], deal("deal.deal_currency", ["trim", "upper"])),
        (["статус", "статус заказа", "status", "deal_status"], deal("deal.deal_status")),
        // GetCourse's order export fills «Оплачено» with the amount paid: the sample check then leaves it out.
        (["оплачен", "оплачено", "paid", "is_paid", "deal_is_paid"], deal("deal.deal_is_paid")),
        (
            ["дата заказа", "дата создания", "создан", "created", "created_at", "deal_created_at", "order date"],
            deal("deal.deal_created_at", ["date"])
        ),
        (
            [
                "дата оплаты", "дата завершения", "оплачен в", "finished_at", "paid_at", "deal_finished_at",
                "payment date",
            ],
            deal("deal.deal_finished_at", ["date"])
        ),
        (
            ["способ оплаты", "тип оплаты", "платежная система", "payment_type", "payment type"],
            deal("deal.payment_type")
        ),
        (["статус оплаты", "статус платежа", "payment_status", "payment status"], deal("deal.payment_status")),
        (["комментарий", "comment", "deal_comment"], deal("deal.deal_comment")),
        (["менеджер", "manager", "manager_email", "email менеджера"], deal("deal.manager_email", ["trim", "email"])),
    ]

    private static let exact: [String: HeaderGuess] = {
        var map: [String: HeaderGuess] = [:]
        for (names, guess) in table {
            for name in names where map[normalise(name)] == nil { map[normalise(name)] = guess }
        }
        return map
    }()

    /// Checked after the exact names, so «Email партнера» stays the partner's and «Email покупателя» is the
    /// user's.
    private static let prefixes: [(String, HeaderGuess)] = [
        ("email", user("user.email", ["trim", "email"])), (normalise("почта"), user("user.email", ["trim", "email"])),
        (normalise("телефон"), user("user.phone", ["phone"])), ("phone", user("user.phone", ["phone"])),
        (normalise("стоимость"), deal("deal.deal_cost", ["money"])),
        (normalise("сумма"), deal("deal.deal_cost", ["money"])),
        (normalise("цена"), deal("deal.deal_cost", ["money"])),
        ("amount", deal("deal.deal_cost", ["money"])), ("cost", deal("deal.deal_cost", ["money"])),
        ("price", deal("deal.deal_cost", ["money"])),
        (normalise("дата регистрации"), HeaderGuess(path: "user.group_name.group_date", transforms: ["date"])),
    ]

    /// Translations of common Russian status words into the closed sets, pre-filled into `map:`.
    static let knownValues: [String: [String: String]] = [
        "deal.deal_status": [
            "новый": "new", "новая": "new", "new": "new", "оплачен": "payed", "оплачено": "payed", "оплачена": "payed",
            "завершен": "payed", "выполнен": "payed", "в работе": "in_work", "отменен": "cancelled",
            "отменён": "cancelled", "отменена": "cancelled", "ожидает оплаты": "payment_waiting",
            "частично оплачен": "part_payed", "ожидаем возврата": "waiting_for_return",
            "не подтвержден": "not_confirmed", "в ожидании": "pending", "ложный": "false",
            "завершён": "payed", "выполнен и оплачен": "payed", "ожидаем оплаты": "payment_waiting",
            "ожидание оплаты": "payment_waiting", "ожидается оплата": "payment_waiting", "отклонен": "cancelled",
            "отклонён": "cancelled", "отказ": "cancelled", "частично оплачено": "part_payed",
            "ожидает возврата": "waiting_for_return", "paid": "payed", "canceled": "cancelled",
        ],
        "deal.payment_type": [
            "карта": "CARD", "банковская карта": "CARD", "картой": "CARD", "наличные": "CASH", "наличными": "CASH",
            "счет": "BILL", "счёт": "BILL", "по счету": "BILL", "сбербанк": "SBER", "тинькофф": "tinkoff",
            "paypal": "PAYPAL", "другое": "OTHER", "робокасса": "ROBOKASSA", "юkassa": "yandex_kassa",
            "яндекс.касса": "yandex_kassa", "продамус": "prodamus", "qiwi": "QIWI", "внутренний": "INTERNAL",
            "безналичный расчет": "BILL", "безналичный расчёт": "BILL", "безналичный": "BILL", "юmoney": "YANDEXMONEY",
            "яндекс.деньги": "YANDEXMONEY", "сбп": "OTHER", "рассрочка": "OTHER", "card": "CARD", "cash": "CASH",
            "bill": "BILL", "sber": "SBER", "other": "OTHER", "internal": "INTERNAL",
        ],
        "deal.payment_status": [
            "ожидается": "expected", "принят": "accepted", "оплачен": "accepted", "возвращен": "returned",
            "возвращён": "returned", "принята": "accepted", "оплачена": "accepted", "возвращена": "returned",
            "на баланс": "tobalance", "с баланса": "frombalance",
        ],
        "deal.deal_currency": [
            "руб": "RUB", "руб.": "RUB", "р.": "RUB", "₽": "RUB", "рубли": "RUB", "рубль": "RUB", "rur": "RUB",
            "$": "USD", "доллар": "USD", "доллары": "USD", "€": "EUR", "евро": "EUR", "тенге": "KZT", "₸": "KZT",
            "грн": "UAH", "гривна": "UAH", "₴": "UAH", "бел. руб.": "BYN",
        ],
        "deal.deal_is_paid": ["да": "1", "нет": "0", "оплачен": "1", "не оплачен": "0"],
    ]
}
