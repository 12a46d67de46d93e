import Foundation

/// One additional field of the account (`/pl/api/account/fields`).
package struct AccountField: Sendable, Equatable, Codable {
    /// `user` or `deal` (`context_type`): which object the field belongs to.
    package enum Context: String, Sendable, Codable {
        case user
        case deal
    }

    package var id: String
    package var title: String
    package var type: String
    package var context: Context

    package init(id: String, title: String, type: String, context: Context) {
        self.id = id
        self.title = title
        self.type = type
        self.context = context
    }
}

/// One group of the account (`/pl/api/account/groups`).
package struct AccountGroup: Sendable, Equatable, Codable {
    package var id: Int
    package var name: String

    package init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}

/// A ready export: the column titles and the rows, every cell as text. Columns differ from account to
/// account (custom fields are appended by title), so they are found by name, never by position.
package struct ExportTable: Sendable, Equatable {
    package var fields: [String]
    package var items: [[String]]

    package init(fields: [String], items: [[String]]) {
        self.fields = fields
        self.items = items
    }

    /// The first column whose title is one of `names` (exactly, then ignoring case and spaces), else the
    /// first whose title starts with one of them (`Стоимость` finds `Стоимость, RUB`).
    package func column(_ names: String...) -> Int? {
        let folded = fields.map(Self.fold)
        for name in names {
            if let index = fields.firstIndex(of: name) ?? folded.firstIndex(of: Self.fold(name)) { return index }
        }
        for name in names {
            if let index = folded.firstIndex(where: { $0.hasPrefix(Self.fold(name)) }) { return index }
        }
        return nil
    }

    /// The cell at `column` of `row`, empty when the row is short.
    package func cell(_ row: [String], _ column: Int?) -> String {
        guard let column, column < row.count else { return "" }
        return row[column]
    }

    private static func fold(_ title: String) -> String {
        title.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// What one account API answer came to. GetCourse answers its errors with HTTP 200 and a body
/// `{"success":false,"info":[],"error_message":"…","error":true,"error_code":909}`; the code decides.
enum AccountAnswer: Sendable {
    /// `info` of a successful answer, as decoded JSON.
    case info(AccountInfo)
    /// 909: the export is not built yet.
    case notReady
    /// 905: another export is still being built; the account builds one at a time.
    case busy
    /// 903: the account's export budget (100 requests per 2 hours) is spent.
    case budgetSpent
    /// The key, the account or the plan refuses (901, 904, «Неавторизованное…», an empty body…).
    case refused(ServiceRefusal)
    /// 5xx, 429, a dropped connection: ask again later.
    case transient(message: String, retryAfter: Double?)
    /// Any other error (908, an unknown export…).
    case failed(code: Int?, message: String)

    /// Reads an answer: `error_code` first (its texts are not stable enough to match), then the import API's
    /// own classification of statuses, empty bodies and refusal texts.
    static func read(status: Int, body: [UInt8], location: String?, retryAfter: String?) -> AccountAnswer {
        let json = body.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(body.dropFirst(3)) : body
        let object = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any]
        if let object, (200..<300).contains(status) || status == 404 {
            if LenientJSON.bool(object["success"]) == true { return .info(AccountInfo(object["info"])) }
            let message = LenientJSON.message(in: object) ?? "the account API refused without a message"
            if let code = LenientJSON.id(object["error_code"]).flatMap({ Int($0) }) {
                switch code {
                case 901, 904: return .refused(ServiceRefusal(reason: .unauthorized, serviceMessage: message))
                case 903: return .budgetSpent
                case 905: return .busy
                case 909: return .notReady
                default: return .failed(code: code, message: message)
                }
            }
        }
        let classified = AnswerClassifier.classify(
            status: status, body: body, location: location, retryAfter: retryAfter)
        switch classified.outcome {
        case .fatal(let refusal): return .refused(refusal)
        case .failed(let message, let hint, _): return .transient(message: message, retryAfter: hint)
        case .unknown(let message): return .transient(message: message, retryAfter: nil)
        case .rejected(let message): return .failed(code: nil, message: message)
        case .ok: return .info(AccountInfo(object?["info"]))
        }
    }
}

/// The `info` of a successful account answer, read into the typed values the commands use.
struct AccountInfo: @unchecked Sendable {
    // @unchecked: the value is a tree of immutable Foundation objects from JSONSerialization, never mutated.
    let value: Any?

    init(_ value: Any?) { self.value = value }

    var fields: [AccountField] {
        (value as? [Any] ?? []).compactMap { item in
            guard let object = item as? [String: Any],
                let title = (object["title"] ?? object["name"]) as? String
            else { return nil }
            let context = (object["context_type"] as? String).flatMap(AccountField.Context.init) ?? .user
            return AccountField(
                id: LenientJSON.id(object["id"]) ?? "", title: title,
                type: LenientJSON.id(object["type"]) ?? "", context: context)
        }
    }

    var groups: [AccountGroup] {
        (value as? [Any] ?? []).compactMap { item in
            guard let object = item as? [String: Any], let name = object["name"] as? String,
                let id = LenientJSON.id(object["id"]).flatMap({ Int($0) })
            else { return nil }
            return AccountGroup(id: id, name: name)
        }
    }

    var exportID: Int? {
        LenientJSON.id((value as? [String: Any])?["export_id"]).flatMap { Int($0) }
    }

    var table: ExportTable? {
        guard let object = value as? [String: Any], let fields = object["fields"] as? [Any],
            let items = object["items"] as? [Any]
        else { return nil }
        return ExportTable(
            fields: fields.map(Self.text),
            items: items.map { ($0 as? [Any] ?? []).map(Self.text) })
    }

    /// Every cell is a string in the real export; numbers and nulls are read as text anyway.
    private static func text(_ value: Any) -> String {
        if let text = value as? String { return text }
        return LenientJSON.id(value) ?? ""
    }
}
