import Foundation

/// What the account's exports show, indexed for the comparisons `verify` makes. Columns are found by
/// their titles (they differ between accounts); a table without a needed column is an error naming it.
struct AccountSnapshot: Sendable {
    struct Deal: Sendable, Equatable {
        var id: String
        var number: String
        var userID: String
        var email: String
        /// `YYYY-MM-DD HH:MM:SS`, in the account's time zone.
        var createdAt: String
        /// What was bought (`Состав заказа`), lowercased.
        var composition: String
        var cost: Double?
    }

    /// Users created in the window: ids, and id by lowercased email.
    var userIDs: Set<String> = []
    var userByEmail: [String: String] = [:]
    var deals: [Deal] = []
    var dealByID: [String: Int] = [:]
    var dealsByNumber: [String: [Int]] = [:]
    /// Members of each exported group: ids and lowercased emails.
    var groupMembers: [Int: (ids: Set<String>, emails: Set<String>)] = [:]
    /// The account's groups by name.
    var groupIDs: [String: Int] = [:]

    /// The titles each column is found by, the first that the table has (see `ExportTable.column`).
    enum Column {
        static let userID = ["id", "ID"]
        static let email = ["Email", "E-mail"]
        static let dealID = ["ID заказа", "id"]
        static let dealNumber = ["Номер"]
        static let dealUser = ["ID пользователя"]
        static let created = ["Дата создания", "Создан"]
        static let composition = ["Состав заказа", "Title", "Предложение"]
        static let cost = ["Стоимость", "Сумма"]

        /// Everything `add` reads of an export of `object`; the other columns are never read into memory.
        static func read(by object: ExportRequest.Object) -> [[String]] {
            switch object {
            case .users, .groupUsers: [userID, email]
            case .deals: [dealID, dealNumber, email, dealUser, created, composition, cost]
            }
        }

        /// The columns of `fields` that `add` may read for `object`: found by the whole list (`column`) or by
        /// one title at a time (`require`), which can differ when one title only matches as a prefix.
        static func kept(by object: ExportRequest.Object) -> @Sendable ([String]) -> [Int] {
            { fields in
                let titles = ExportTable(fields: fields, items: [])
                var kept: Set<Int> = []
                for names in read(by: object) {
                    if let index = titles.column(names) { kept.insert(index) }
                    for name in names { if let index = titles.column(name) { kept.insert(index) } }
                }
                return kept.sorted()
            }
        }
    }

    mutating func add(users table: ExportTable) throws(VerifyError) {
        let id = try Self.require(table, Column.userID, object: "users")
        let email = try Self.require(table, Column.email, object: "users")
        for row in table.items {
            let userID = table.cell(row, id)
            userIDs.insert(userID)
            let address = Self.email(table.cell(row, email))
            if !address.isEmpty { userByEmail[address] = userID }
        }
    }

    mutating func add(deals table: ExportTable) throws(VerifyError) {
        let id = try Self.require(table, Column.dealID, object: "orders")
        let number = try Self.require(table, Column.dealNumber, object: "orders")
        let email = try Self.require(table, Column.email, object: "orders")
        let user = table.column(Column.dealUser)
        let created = table.column(Column.created)
        let composition = table.column(Column.composition)
        let cost = table.column(Column.cost)
        for row in table.items {
            let deal = Deal(
                id: table.cell(row, id), number: table.cell(row, number), userID: table.cell(row, user),
                email: Self.email(table.cell(row, email)),
                createdAt: table.cell(row, created), composition: table.cell(row, composition).lowercased(),
                cost: Self.number(table.cell(row, cost)))
            dealByID[deal.id] = deals.count
            if !deal.number.isEmpty { dealsByNumber[deal.number, default: []].append(deals.count) }
            deals.append(deal)
        }
    }

    mutating func add(members table: ExportTable, group: Int) throws(VerifyError) {
        let id = try Self.require(table, Column.userID, object: "group members")
        let email = table.column(Column.email)
        var members: (ids: Set<String>, emails: Set<String>) = ([], [])
        for row in table.items {
            members.ids.insert(table.cell(row, id))
            members.emails.insert(Self.email(table.cell(row, email)))
        }
        groupMembers[group] = members
    }

    /// Whether the user (by id, else by email) is a member of the group; nil when the group was not exported.
    func isMember(group: Int, userID: String?, email: String?) -> Bool? {
        guard let members = groupMembers[group] else { return nil }
        if let userID, members.ids.contains(userID) { return true }
        if let email, members.emails.contains(Self.email(email)) { return true }
        return false
    }

    private static func require(_ table: ExportTable, _ names: [String], object: String) throws(VerifyError) -> Int {
        for name in names {
            if let index = table.column(name) { return index }
        }
        throw .unexpectedExport(
            "the export of \(object) has no column «\(names[0])» (its columns: "
                + table.fields.map { "«\($0)»" }.joined(separator: ", ") + ")")
    }

    static func email(_ text: String) -> String {
        TextTransforms.lower(TextTransforms.trim(text))
    }

    /// `12000`, `12000.50`, `12 000,50`, `12 000 руб.`: the export's money as a number; nil when it does not
    /// read as one (the matcher then does not rule the order out on its cost).
    static func number(_ text: String) -> Double? {
        let kept = text.filter { $0.isASCII && ($0.isNumber || $0 == "," || $0 == "." || $0 == "-") }
        let cleaned = kept.replacingOccurrences(of: ",", with: ".").trimmingCharacters(in: ["."])
        guard cleaned.filter({ $0 == "." }).count <= 1 else { return nil }
        return Double(cleaned)
    }
}
