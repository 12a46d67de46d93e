import Foundation
import Testing

@testable import GetCourseSandbox

/// `gcimport sandbox --fields FILE --groups FILE`: the account's directories from what the real account
/// answers, or from plain lines.
@Suite struct AccountDirectoryFileTests {
    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dir-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func fieldsFromTheRealAnswer() throws {
        let path = try file(
            #"{"success":true,"info":[{"id":"10558670","type":"checkbox","title":"Согласие","required":"1","field_order_pos":2,"context_type":"user"},{"id":5,"type":"text","title":"Источник заказа","required":0,"field_order_pos":0,"context_type":"deal"}]}"#
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fields = try AccountDirectoryFile.fields(path: path)
        #expect(
            fields == [
                SandboxField(
                    id: 10_558_670, title: "Согласие", type: "checkbox", context: .user, required: true,
                    orderPosition: 2),
                SandboxField(id: 5, title: "Источник заказа", context: .deal),
            ])
    }

    @Test func fieldsFromLines() throws {
        let path = try file("# fields\nuser: Telegram\n\ndeal: Менеджер сделки\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fields = try AccountDirectoryFile.fields(path: path)
        #expect(fields.map(\.title) == ["Telegram", "Менеджер сделки"])
        #expect(fields.map(\.context) == [.user, .deal])
    }

    @Test func aBadFieldLineNamesItself() throws {
        let path = try file("Telegram\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try AccountDirectoryFile.fields(path: path)
        } throws: { error in
            "\(error)".contains("«Telegram»") && "\(error)".contains("user: Title")
        }
    }

    @Test func groupsFromTheRealAnswerOrLines() throws {
        let answer = try file(
            #"{"success":true,"info":[{"id":4848962,"name":"Поток 1","last_added_at":"2026-06-22 11:44:29"},{"id":7,"name":"VIP","last_added_at":null}]}"#
        )
        let lines = try file("Поток 1\nVIP\n")
        defer {
            try? FileManager.default.removeItem(atPath: answer)
            try? FileManager.default.removeItem(atPath: lines)
        }
        #expect(
            try AccountDirectoryFile.groups(path: answer) == [
                SandboxGroupSeed(name: "Поток 1", id: 4_848_962, lastAddedAt: "2026-06-22 11:44:29"),
                SandboxGroupSeed(name: "VIP", id: 7),
            ])
        #expect(try AccountDirectoryFile.groups(path: lines).map(\.name) == ["Поток 1", "VIP"])
    }

    @Test func brokenJSONSaysWhere() throws {
        let path = try file(#"{"info":[{"name":"A"},]}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try AccountDirectoryFile.groups(path: path)
        } throws: { error in
            "\(error)".contains("not valid JSON")
        }
    }
}
