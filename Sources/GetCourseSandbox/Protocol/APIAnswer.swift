/// The JSON bodies the import and export APIs answer with, in GetCourse's shapes.
enum APIAnswer {
    /// Call failed: bad key, forbidden action, undecodable params, missing action, limits.
    static func callError(_ message: String) -> JSONValue {
        .object([("success", false), ("error", .string(message))])
    }

    /// Call succeeded and the action did what was asked; `fields` go into `result` before the error flags.
    static func actionSuccess(action: String, _ fields: [(String, JSONValue)]) -> JSONValue {
        let head: [(String, JSONValue)] = [("success", true)]
        let tail: [(String, JSONValue)] = [("error_message", ""), ("error", false)]
        let result = head + fields + tail
        return .object([("success", true), ("action", .string(action)), ("result", .object(result))])
    }

    /// Call succeeded but the action failed on the row's data.
    static func actionError(action: String, _ message: String) -> JSONValue {
        let result: [(String, JSONValue)] = [("success", false), ("error_message", .string(message)), ("error", true)]
        return .object([("success", true), ("action", .string(action)), ("result", .object(result))])
    }

    /// Account API failure (`/pl/api/account/...`), with the numeric code real clients switch on (901, 903,
    /// 904, 905, 908, 909…), in the shape public clients observe.
    static func exportError(_ code: Int, _ message: String) -> JSONValue {
        .object([
            ("success", false), ("info", .array([])), ("error_message", .string(message)), ("error", true),
            ("error_code", .int(code)),
        ])
    }

    /// Export API success: `info` carries the payload.
    static func exportInfo(_ info: JSONValue) -> JSONValue {
        .object([("success", true), ("info", info)])
    }
}

/// The texts the sandbox answers with, in one place so tests and docs can refer to them.
///
/// The call-level texts are GetCourse's own (DESIGN.md). The row-level texts are the sandbox's wording:
/// the real service's exact phrasing for each row problem is not known here; clients should key on
/// `result.error == true`, not on the text.
enum APIText {
    // Call level, as the real service says them.
    static let unauthorized = "Неавторизованное API-обращение"
    static let forbidden = "Действие запрещено"
    static let noParams = "Не указаны параметры"
    static let emptyAction = "Пустой параметр action"
    static let httpsOnly = "Доступ возможен только по https"
    static let limitReached = "Достигнут лимит"
    static let tooManyRequests = "Слишком много запросов, повторите позже"

    // Row level (sandbox wording).
    static let noEmailNorPhone = "Не указан email или телефон пользователя"
    static func invalidEmail(_ email: String) -> String { "Некорректный email: \(email)" }
    static func partnerNotFound(_ partner: String) -> String { "Партнер не найден: \(partner)" }
    static let noUserId = "Не указан id пользователя"
    static func userNotFound(_ id: String) -> String { "Пользователь не найден: \(id)" }
    static let noDeal = "Не указаны параметры заказа"
    static let noDealEmail = "Не указан email пользователя"
    static let noOffer = "Не указан код предложения, id предложения или название продукта"
    static let noCost = "Не указана стоимость заказа"
    static func invalidCost(_ cost: String) -> String { "Некорректная стоимость заказа: \(cost)" }
    static func invalidQuantity(_ value: String) -> String { "Некорректное количество: \(value)" }
    static func unknownDealStatus(_ value: String) -> String { "Неизвестный статус заказа: \(value)" }
    static func unknownPaymentStatus(_ value: String) -> String { "Неизвестный статус платежа: \(value)" }
    static func unknownPaymentType(_ value: String) -> String { "Неизвестный тип платежа: \(value)" }
    static func unknownCurrency(_ value: String) -> String { "Неизвестная валюта: \(value)" }

    // Export API.
    static let fileNotReady = "Файл еще не создан"
    static let exportRunning = "Экспорт уже выполняется, дождитесь его завершения"
    static let noFilter = "Не указан ни один фильтр"
    static let exportLimit = "Превышен лимит запросов к API экспорта: не более 100 за 2 часа"
    static let exportNotFound = "Экспорт не найден"
    static let groupNotFound = "Группа не найдена"
    // Sandbox wording: the real texts for these are not known here.
    static let noKey = "Не указан ключ API"
    static let unknownMethod = "Неизвестный метод API"
}
