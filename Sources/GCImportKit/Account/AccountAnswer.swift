import Foundation

/// One additional field of the account (`/pl/api/account/fields`).
package struct AccountField: Sendable, Equatable, Codable {
    /// `user` or `deal` (`context_type`): which object the field belongs to.
    package enum Context: String, Sendable, Codable {
        case user
        case deal
    }

    var id: String
    var title: String
    var type: String
    var context: Context
}

/// One group of the account (`/pl/api/account/groups`).
package struct AccountGroup: Sendable, Equatable, Codable {
    var id: Int
    var name: String
}

/// A ready export: the column titles and the rows, every cell as text. Columns differ from account to
/// account (custom fields are appended by title), so they are found by name, never by position.
package struct ExportTable: Sendable, Equatable {
    var fields: [String]
    /// The rows. A table read keeping only some columns holds those columns' cells, in the order kept.
    var items: [[String]]
    /// For each column, its place in a row of `items` (-1: not kept); nil when every column is kept.
    private let slots: [Int]?

    init(fields: [String], items: [[String]]) {
        self.fields = fields
        self.items = items
        slots = nil
    }

    /// A table whose rows hold only the cells of `kept` (column indices), in that order.
    init(fields: [String], items: [[String]], kept: [Int]?) {
        self.fields = fields
        self.items = items
        slots = kept.map { Self.slots(kept: $0, width: fields.count) }
    }

    /// For each column up to `width` (or the last kept), its place among `kept`; -1 when not kept.
    static func slots(kept: [Int], width: Int) -> [Int] {
        var slots = Array(repeating: -1, count: max(width, (kept.max() ?? -1) + 1))
        for (slot, column) in kept.enumerated() where column >= 0 { slots[column] = slot }
        return slots
    }

    /// The first column whose title is one of `names` (exactly, then ignoring case and spaces), else the
    /// first whose title starts with one of them (`Стоимость` finds `Стоимость, RUB`).
    func column(_ names: String...) -> Int? { column(names) }

    func column(_ names: [String]) -> Int? {
        let folded = fields.map(Self.fold)
        for name in names {
            if let index = fields.firstIndex(of: name) ?? folded.firstIndex(of: Self.fold(name)) { return index }
        }
        for name in names {
            if let index = folded.firstIndex(where: { $0.hasPrefix(Self.fold(name)) }) { return index }
        }
        return nil
    }

    /// The cell at `column` of `row`, empty when the row is short or the column was not kept.
    func cell(_ row: [String], _ column: Int?) -> String {
        guard let column, column >= 0 else { return "" }
        let place: Int
        if let slots {
            guard column < slots.count, slots[column] >= 0 else { return "" }
            place = slots[column]
        } else {
            place = column
        }
        return place < row.count ? row[place] : ""
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
        let answer = GetCourseAnswer.decode(body)
        if let answer, (200..<300).contains(status) || status == 404 {
            if answer.success?.bool == true { return .info(AccountInfo(body: body)) }
            let message = answer.messages.text ?? "the account API refused without a message"
            if let code = answer.errorCode?.id.flatMap({ Int($0) }) {
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
        case .ok: return .info(AccountInfo(body: body))
        }
    }
}

/// The `info` of a successful account answer, decoded into the typed values the commands use: a list of
/// fields or groups, an export id, or an export table. Lenient like the answer itself: an item of an
/// unexpected shape is left out, not fatal.
struct AccountInfo: Sendable {
    private let body: [UInt8]

    init(body: [UInt8]) {
        self.body = body.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(body.dropFirst(3)) : body
    }

    var fields: [AccountField] {
        (info([Lossy<FieldItem>].self) ?? []).compactMap { item in
            guard let item = item.value, let title = item.title ?? item.name else { return nil }
            return AccountField(
                id: item.id?.id ?? "", title: title, type: item.type?.id ?? "",
                context: item.contextType.flatMap(AccountField.Context.init) ?? .user)
        }
    }

    var groups: [AccountGroup] {
        (info([Lossy<GroupItem>].self) ?? []).compactMap { item in
            guard let item = item.value, let name = item.name, let id = item.id?.id.flatMap({ Int($0) }) else {
                return nil
            }
            return AccountGroup(id: id, name: name)
        }
    }

    var exportID: Int? {
        info(ExportItem.self)?.exportID?.id.flatMap { Int($0) }
    }

    /// An export table, read straight from the bytes (`ExportScanner`); `keeping` picks, from the column
    /// titles, the only columns whose cells are read.
    func table(keeping: (([String]) -> [Int])? = nil) -> ExportTable? {
        ExportScanner.table(body, keeping: keeping)
    }

    private func info<T: Decodable>(_ type: T.Type) -> T? {
        (try? JSONDecoder().decode(Envelope<T>.self, from: Data(body)))?.info
    }

    private struct Envelope<T: Decodable>: Decodable {
        var info: T?
        enum CodingKeys: String, CodingKey { case info }
        init(from decoder: any Decoder) throws {
            info = try? decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(T.self, forKey: .info)
        }
    }

    /// An array element that may have any shape: nil when it is not a `T`.
    private struct Lossy<T: Decodable>: Decodable {
        var value: T?
        init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
    }

    private struct FieldItem: Decodable {
        var title: String?
        var name: String?
        var id: LenientScalar?
        var type: LenientScalar?
        var contextType: String?
        enum CodingKeys: String, CodingKey {
            case title, name, id, type
            case contextType = "context_type"
        }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            title = try? container.decodeIfPresent(String.self, forKey: .title)
            name = try? container.decodeIfPresent(String.self, forKey: .name)
            id = try? container.decodeIfPresent(LenientScalar.self, forKey: .id)
            type = try? container.decodeIfPresent(LenientScalar.self, forKey: .type)
            contextType = try? container.decodeIfPresent(String.self, forKey: .contextType)
        }
    }

    private struct GroupItem: Decodable {
        var name: String?
        var id: LenientScalar?
        enum CodingKeys: String, CodingKey { case name, id }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try? container.decodeIfPresent(String.self, forKey: .name)
            id = try? container.decodeIfPresent(LenientScalar.self, forKey: .id)
        }
    }

    private struct ExportItem: Decodable {
        var exportID: LenientScalar?
        enum CodingKeys: String, CodingKey { case exportID = "export_id" }
    }
}
