import Testing

@testable import GetCourseSandbox

/// The export API and the account directories.
@Suite struct ExportTests {
    let key = "key=sandbox-key"

    private func seed(_ sandbox: SandboxHarness) async throws {
        _ = try await sandbox.importResult(
            json:
                #"{"user":{"email":"e1@example.com","first_name":"Ева","group_name":["Курс"],"addfields":{"Telegram":"@e"}}}"#
        )
        _ = try await sandbox.importResult(json: #"{"user":{"email":"e2@example.com"}}"#)
        _ = try await sandbox.importResult(
            "/pl/api/deals",
            json:
                #"{"user":{"email":"e1@example.com"},"deal":{"deal_number":"X1","offer_code":"A","deal_cost":10,"deal_status":"payed","payment_status":"accepted"}}"#
        )
    }

    @Test func exportWithoutFilterIs908() async throws {
        try await SandboxHarness.with { sandbox in
            let reply = try await sandbox.get("/pl/api/account/users?\(key)")
            #expect(reply.status == 200)
            let answer = try reply.json
            #expect(answer["success"] == false)
            #expect(answer["error_code"] == 908)
            #expect(answer["error"] == true)
        }
    }

    @Test func exportFlowAnswers909ThenData() async throws {
        try await SandboxHarness.with { sandbox in
            try await seed(sandbox)
            let started = try await sandbox.get("/pl/api/account/users?\(key)&created_at%5Bfrom%5D=2000-01-01").json
            #expect(started["success"] == true)
            let id = try #require(started["info"]?["export_id"]?.int)
            for _ in 0..<2 {
                let poll = try await sandbox.get("/pl/api/account/exports/\(id)?\(key)").json
                #expect(
                    poll
                        == .object([
                            ("success", false), ("info", .array([])), ("error_message", "Файл еще не создан"),
                            ("error", true), ("error_code", 909),
                        ]))
            }
            let ready = try await sandbox.get("/pl/api/account/exports/\(id)?\(key)").json
            #expect(ready["success"] == true)
            let fields = ready["info"]?["fields"]?.arrayElements?.compactMap(\.string) ?? []
            let items = ready["info"]?["items"]?.arrayElements ?? []
            #expect(items.count == 2)
            let emailColumn = try #require(fields.firstIndex(of: "Email"))
            #expect(items.compactMap { $0.arrayElements?[emailColumn] } == ["e1@example.com", "e2@example.com"])
            // Every value is a string.
            #expect(items.allSatisfy { $0.arrayElements?.allSatisfy { $0.string != nil } == true })
            let telegram = try #require(fields.firstIndex(of: "Telegram"))
            #expect(items.first?.arrayElements?[telegram] == "@e")
        }
    }

    @Test func secondExportWhileOneRunsIs905() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.get("/pl/api/account/users?\(key)&status=active")
            let second = try await sandbox.get("/pl/api/account/deals?\(key)&status=new").json
            #expect(second["error_code"] == 905)
        }
    }

    @Test func nextExportStartsOnceTheFileIsReadyAndUnknownIdFails() async throws {
        try await SandboxHarness.with(SandboxConfiguration(exportPollsBeforeReady: 1)) { sandbox in
            let first = try await sandbox.get("/pl/api/account/users?\(key)&status=active").json
            let id = try #require(first["info"]?["export_id"]?.int)
            #expect(try await sandbox.get("/pl/api/account/exports/\(id)?\(key)").json["error_code"] == 909)
            let second = try await sandbox.get("/pl/api/account/deals?\(key)&status=new").json
            #expect(second["info"]?["export_id"]?.int == id + 1)
            let unknown = try await sandbox.get("/pl/api/account/exports/999?\(key)").json
            #expect(unknown["success"] == false)
            #expect(unknown["error"] == true)
        }
    }

    @Test func tooManyExportRequestsIs903() async throws {
        try await SandboxHarness.with(SandboxConfiguration(exportPollsBeforeReady: 0, exportRequestLimit: 3)) {
            sandbox in
            for _ in 0..<3 {
                #expect(try await sandbox.get("/pl/api/account/groups?\(key)").json["success"] == true)
            }
            let refused = try await sandbox.get("/pl/api/account/users?\(key)&status=active").json
            #expect(refused["error_code"] == 903)
            #expect(refused["success"] == false)
        }
    }

    @Test func dealsAndPaymentsExportsFilter() async throws {
        try await SandboxHarness.with(SandboxConfiguration(exportPollsBeforeReady: 0)) { sandbox in
            try await seed(sandbox)
            let payed = try await exported(sandbox, "/pl/api/account/deals?\(key)&status=payed")
            #expect(payed.items.count == 1)
            #expect(payed.items.first?.contains("X1") == true)
            let none = try await exported(sandbox, "/pl/api/account/deals?\(key)&status=cancelled")
            #expect(none.items.isEmpty)
            let future = try await exported(sandbox, "/pl/api/account/deals?\(key)&created_at%5Bfrom%5D=2999-01-01")
            #expect(future.items.isEmpty)
            let payments = try await exported(sandbox, "/pl/api/account/payments?\(key)&status=accepted")
            #expect(payments.items.count == 1)
        }
    }

    @Test func groupsDirectoryAndGroupUsersExport() async throws {
        try await SandboxHarness.with(SandboxConfiguration(exportPollsBeforeReady: 0)) { sandbox in
            try await seed(sandbox)
            let groups = try await sandbox.get("/pl/api/account/groups?\(key)").json
            let group = try #require(groups["info"]?.arrayElements?.first)
            #expect(group["name"] == "Курс")
            #expect(group["last_added_at"]?.string != nil)
            let id = try #require(group["id"]?.int)
            let members = try await exported(
                sandbox, "/pl/api/account/groups/\(id)/users?\(key)&added_at%5Bfrom%5D=2000-01-01")
            #expect(members.items.count == 1)
            #expect(members.fields.contains("ID группы"))
        }
    }

    @Test func fieldsDirectoryAnswersInTheShapeClientsObserve() async throws {
        let configuration = SandboxConfiguration(
            fields: [
                SandboxField(id: 10_558_670, title: "Возраст", type: "checkbox", context: .user, required: true),
                SandboxField(id: 7, title: "Источник заказа", context: .deal, orderPosition: 3),
            ])
        try await SandboxHarness.with(configuration) { sandbox in
            for reply in [
                try await sandbox.send("/pl/api/account/fields", body: "action=get&\(key)"),
                try await sandbox.get("/pl/api/account/fields?action=get&\(key)"),
            ] {
                let info = try #require(try reply.json["info"]?.arrayElements)
                #expect(info.count == 2)
                #expect(info[0]["id"] == 10_558_670)
                #expect(info[0]["type"] == "checkbox")
                #expect(info[0]["title"] == "Возраст")
                #expect(info[0]["required"] == 1)
                #expect(info[0]["field_order_pos"] == 0)
                #expect(info[0]["context_type"] == "user")
                #expect(info[1]["context_type"] == "deal")
                #expect(info[1]["field_order_pos"] == 3)
            }
        }
    }

    @Test func accountErrorsCarryTheirCode() async throws {
        try await SandboxHarness.with(SandboxConfiguration(exportPollsBeforeReady: 1)) { sandbox in
            let badKey = try await sandbox.get("/pl/api/account/fields?action=get&key=nope").json
            #expect(badKey["error_code"] == 901)
            #expect(badKey["error_message"] == "Неавторизованное API-обращение")
            #expect(badKey["info"]?.arrayElements?.isEmpty == true)
            #expect(try await sandbox.get("/pl/api/account/groups").json["error_code"] == 904)
            let started = try await sandbox.get("/pl/api/account/deals?\(key)&status=new").json
            let id = try #require(started["info"]?["export_id"]?.int)
            #expect(try await sandbox.get("/pl/api/account/users?\(key)&status=active").json["error_code"] == 905)
            #expect(try await sandbox.get("/pl/api/account/exports/\(id)?\(key)").json["error_code"] == 909)
            #expect(
                try await sandbox.get("/pl/api/account/groups/4242/users?\(key)&status=active").json["error_code"]
                    == 404)
        }
    }

    @Test func anExportNobodyPollsHoldsTheSlotUntilItsBuildTime() async throws {
        try await SandboxHarness.with(SandboxConfiguration(exportPollsBeforeReady: 50, exportBuildSeconds: 3600)) {
            sandbox in
            // The answer to this start was "lost": its id is never polled.
            _ = try await sandbox.get("/pl/api/account/users?\(key)&status=active")
            #expect(try await sandbox.get("/pl/api/account/deals?\(key)&status=new").json["error_code"] == 905)
        }
        try await SandboxHarness.with(SandboxConfiguration(exportPollsBeforeReady: 50, exportBuildSeconds: 0.2)) {
            sandbox in
            _ = try await sandbox.get("/pl/api/account/users?\(key)&status=active")
            try await Task.sleep(for: .milliseconds(300))
            let next = try await sandbox.get("/pl/api/account/deals?\(key)&status=new").json
            let id = try #require(next["info"]?["export_id"]?.int)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await sandbox.get("/pl/api/account/exports/\(id)?\(key)").json["success"] == true)
        }
    }

    @Test func theAccountStartsWithItsGroupsAndKeepsThemOnReset() async throws {
        let configuration = SandboxConfiguration(
            groups: [SandboxGroupSeed(name: "Поток 1", id: 4_848_962), SandboxGroupSeed(name: "VIP")])
        try await SandboxHarness.with(configuration) { sandbox in
            _ = try await sandbox.importResult(
                json: #"{"user":{"email":"a@example.com","group_name":["VIP","Новая"]}}"#)
            let groups = try #require(
                try await sandbox.get("/pl/api/account/groups?\(key)").json["info"]?.arrayElements)
            #expect(groups.compactMap { $0["name"]?.string } == ["Поток 1", "VIP", "Новая"])
            #expect(groups[0]["id"] == 4_848_962)
            #expect(groups[0]["last_added_at"] == .null)
            _ = try await sandbox.send("/__sandbox/reset", body: "")
            let after = try #require(try await sandbox.get("/pl/api/account/groups?\(key)").json["info"]?.arrayElements)
            #expect(after.compactMap { $0["name"]?.string } == ["Поток 1", "VIP"])
        }
    }

    private func exported(_ sandbox: SandboxHarness, _ path: String) async throws -> (
        fields: [String], items: [[String]]
    ) {
        let started = try await sandbox.get(path).json
        let id = try #require(started["info"]?["export_id"]?.int, "\(started)")
        let ready = try await sandbox.get("/pl/api/account/exports/\(id)?\(key)").json
        let fields = ready["info"]?["fields"]?.arrayElements?.compactMap(\.string) ?? []
        let items = ready["info"]?["items"]?.arrayElements?.map { $0.arrayElements?.compactMap(\.string) ?? [] } ?? []
        return (fields, items)
    }
}
