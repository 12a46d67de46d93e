import Foundation

/// One additional field of the account, as `/pl/api/account/fields` lists it.
package struct SandboxField: Sendable, Equatable {
    /// Which objects the field belongs to (`context_type`).
    package enum Context: String, Sendable, CaseIterable {
        case user
        case deal
    }

    package var id: Int
    var title: String
    /// The field's input type in GetCourse (`text`, `checkbox`, `select`, `date`…); the sandbox stores any
    /// value as text whatever the type.
    var type: String
    var context: Context
    var required: Bool
    var orderPosition: Int

    package init(
        id: Int, title: String, type: String = "text", context: Context, required: Bool = false,
        orderPosition: Int = 0
    ) {
        self.id = id
        self.title = title
        self.type = type
        self.context = context
        self.required = required
        self.orderPosition = orderPosition
    }

    /// Text fields with ids from 1001 (user) and 2001 (deal), for accounts described by names only.
    static func named(user: [String], deal: [String]) -> [SandboxField] {
        user.enumerated().map { SandboxField(id: 1001 + $0.offset, title: $0.element, context: .user) }
            + deal.enumerated().map { SandboxField(id: 2001 + $0.offset, title: $0.element, context: .deal) }
    }
}

/// A group the account has before any import names it (`--groups FILE`).
package struct SandboxGroupSeed: Sendable, Equatable {
    var name: String
    /// Kept when no other group has it; otherwise the next free id.
    var id: Int?
    var lastAddedAt: String?

    init(name: String, id: Int? = nil, lastAddedAt: String? = nil) {
        self.name = name
        self.id = id
        self.lastAddedAt = lastAddedAt
    }
}

/// Reads the account's fields and groups from files, so a rehearsal account can look like the real one.
///
/// Each file is either what the real account answers (save it with `curl`: the whole
/// `{"success":true,"info":[…]}` answer, or its `info` list), or plain text: one group name per line, or one
/// `user: Title` / `deal: Title` field per line. Blank lines and lines starting with `#` are ignored.
package enum AccountDirectoryFile {
    /// The additional fields listed in the file at `path` (`--fields`).
    package static func fields(path: String) throws(SandboxError) -> [SandboxField] {
        let text = try read(path)
        guard let items = try jsonItems(text, path: path) else {
            return try textLines(text).enumerated().map { (offset, line) throws(SandboxError) in
                let parts = line.split(separator: ":", maxSplits: 1).map { String($0).trimmingSpaces() }
                guard parts.count == 2, let context = SandboxField.Context(rawValue: parts[0].lowercased()),
                    !parts[1].isEmpty
                else {
                    throw .invalidConfiguration(
                        "\(path): line «\(line)» is not `user: Title` or `deal: Title` (or use the JSON the account's "
                            + "/pl/api/account/fields answers)")
                }
                return SandboxField(id: 1001 + offset, title: parts[1], context: context)
            }
        }
        var fields: [SandboxField] = []
        for (offset, item) in items.enumerated() {
            guard let title = (item["title"] ?? item["name"])?.scalarText?.trimmingSpaces(), !title.isEmpty else {
                throw .invalidConfiguration("\(path): field \(offset + 1) has no title")
            }
            let contextText = (item["context_type"] ?? item["context"])?.scalarText?.lowercased() ?? "user"
            guard let context = SandboxField.Context(rawValue: contextText) else {
                throw .invalidConfiguration(
                    "\(path): field «\(title)»: context_type «\(contextText)» is not user or deal")
            }
            fields.append(
                SandboxField(
                    id: item["id"]?.scalarText.flatMap { Int($0) } ?? 1001 + offset, title: title,
                    type: item["type"]?.scalarText ?? "text", context: context,
                    required: item["required"]?.isTruthy ?? false,
                    orderPosition: item["field_order_pos"]?.scalarText.flatMap { Int($0) } ?? 0))
        }
        return fields
    }

    /// The groups listed in the file at `path` (`--groups`).
    package static func groups(path: String) throws(SandboxError) -> [SandboxGroupSeed] {
        let text = try read(path)
        guard let items = try jsonItems(text, path: path) else {
            return textLines(text).map { SandboxGroupSeed(name: $0) }
        }
        var groups: [SandboxGroupSeed] = []
        for (offset, item) in items.enumerated() {
            if case .string(let name) = item, !name.trimmingSpaces().isEmpty {
                groups.append(SandboxGroupSeed(name: name.trimmingSpaces()))
                continue
            }
            guard let name = (item["name"] ?? item["title"])?.scalarText?.trimmingSpaces(), !name.isEmpty else {
                throw .invalidConfiguration("\(path): group \(offset + 1) has no name")
            }
            groups.append(
                SandboxGroupSeed(
                    name: name, id: item["id"]?.scalarText.flatMap { Int($0) },
                    lastAddedAt: item["last_added_at"]?.scalarText))
        }
        return groups
    }

    private static func read(_ path: String) throws(SandboxError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidConfiguration("\(path): cannot read the file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The list of a JSON file (an API answer's `info`, or a bare list); nil when the file is not JSON.
    private static func jsonItems(_ text: String, path: String) throws(SandboxError) -> [JSONValue]? {
        let trimmed = text.trimmingSpaces()
        guard trimmed.hasPrefix("{") || trimmed.hasPrefix("[") else { return nil }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(trimmed.utf8))
        } catch {
            throw .invalidConfiguration("\(path): not valid JSON (\(error.reason) at byte \(error.offset + 1))")
        }
        if let items = (value["info"] ?? value).arrayElements { return items }
        throw .invalidConfiguration("\(path): expected a list, or an answer whose `info` is a list")
    }

    private static func textLines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}
