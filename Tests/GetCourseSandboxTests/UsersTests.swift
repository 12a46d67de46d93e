import Testing

@testable import GetCourseSandbox

/// `/pl/api/users`: create, refresh, untouched, groups, phone-only, partners, action update.
@Suite struct UsersTests {
    @Test func addCreatesUserWithFieldsAndGroups() async throws {
        try await SandboxHarness.with { sandbox in
            let result = try await sandbox.importResult(
                json: """
                    {"user":{"email":" Ivan@Example.com ","first_name":"Иван","last_name":"Петров","city":"Москва",
                    "group_name":["Курс",["VIP","2024-01-15 10:20:30"],["Поток 2","2024-02-01"]],
                    "addfields":{"Telegram":"@ivan","Unknown field":"x"}},
                    "session":{"utm_source":"vk"}}
                    """
            )
            #expect(result["success"] == true)
            #expect(result["user_status"] == "added")
            let state = try await sandbox.state()
            let user = try #require(state["users"]?.arrayElements?.first)
            #expect(user["id"] == result["user_id"])
            #expect(user["email"] == "Ivan@Example.com")
            #expect(user["fields"]?["first_name"] == "Иван")
            #expect(user["addfields"] == .object([("Telegram", "@ivan")]))
            #expect(user["session"]?["utm_source"] == "vk")
            let groups = user["groups"]?.arrayElements ?? []
            #expect(groups.map { $0["name"] } == ["Курс", "VIP", "Поток 2"])
            #expect(groups.map { $0["added_at"] }.dropFirst() == ["2024-01-15 10:20:30", "2024-02-01 00:00:00"])
            #expect(state["summary"]?["groups"] == 3)
        }
    }

    @Test func groupNameAsOneStringAndOtherDateForms() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.importResult(json: #"{"user":{"email":"g@example.com","group_name":"Один"}}"#)
            _ = try await sandbox.importResult(
                json: """
                    {"user":{"email":"g@example.com","group_name":[["Два","2023-05-01 21:21"],["Три","01.02.2024"],
                    ["Четыре","not a date"],"  ",["Один","2020-01-01"]]},"system":{"refresh_if_exists":"yes"}}
                    """
            )
            let user = try #require(try await sandbox.state()["users"]?.arrayElements?.first)
            let groups = user["groups"]?.arrayElements ?? []
            #expect(groups.map { $0["name"] } == ["Один", "Два", "Три", "Четыре"])
            #expect(groups[1]["added_at"] == "2023-05-01 21:21:00")
            #expect(groups[2]["added_at"] == "2024-02-01 00:00:00")
            // Already a member: the original date stays.
            #expect(groups[0]["added_at"] != "2020-01-01 00:00:00")
        }
    }

    @Test func existingEmailWithoutRefreshIsUntouched() async throws {
        try await SandboxHarness.with { sandbox in
            let first = try await sandbox.importResult(json: #"{"user":{"email":"a@example.com","city":"Тула"}}"#)
            let second = try await sandbox.importResult(
                json:
                    #"{"user":{"email":"A@EXAMPLE.COM ","city":"Омск","group_name":["G"]},"system":{"refresh_if_exists":0}}"#
            )
            #expect(second["success"] == true)
            #expect(second["user_id"] == first["user_id"])
            #expect(second["user_status"] == "exists")
            let user = try #require(try await sandbox.state()["users"]?.arrayElements?.first)
            #expect(user["fields"]?["city"] == "Тула")
            #expect(user["groups"]?.count == 0)
            #expect(try await sandbox.state()["summary"]?["users"] == 1)
        }
    }

    @Test(arguments: ["1", "\"1\"", "true", "\"true\""])
    func refreshUpdatesFieldsAddsGroupsReplacesSession(flag: String) async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.importResult(
                json:
                    #"{"user":{"email":"b@example.com","city":"Тула","group_name":["Old"]},"session":{"utm_source":"a","utm_medium":"m"}}"#
            )
            let result = try await sandbox.importResult(
                json: """
                    {"user":{"email":"b@example.com","city":"Омск","group_name":["New"]},
                    "system":{"refresh_if_exists":\(flag)},"session":{"utm_source":"b"}}
                    """
            )
            #expect(result["user_status"] == "updated")
            let user = try #require(try await sandbox.state()["users"]?.arrayElements?.first)
            #expect(user["fields"]?["city"] == "Омск")
            #expect(user["groups"]?.arrayElements?.map { $0["name"] } == ["Old", "New"])
            #expect(user["session"] == .object([("utm_source", "b")]))
            #expect(user["update_count"] == 1)
        }
    }

    @Test func updateReplacesGroupList() async throws {
        try await SandboxHarness.with { sandbox in
            let added = try await sandbox.importResult(
                json: #"{"user":{"email":"c@example.com","group_name":["A","B"]}}"#
            )
            let id = try #require(added["user_id"]?.int)
            let updated = try await sandbox.importResult(
                action: "update", json: #"{"user":{"id":"\#(id)","group_name":["B","C"]}}"#
            )
            #expect(updated["success"] == true)
            #expect(updated["user_id"]?.int == id)
            let user = try #require(try await sandbox.state()["users"]?.arrayElements?.first)
            #expect(user["groups"]?.arrayElements?.map { $0["name"] } == ["B", "C"])
        }
    }

    @Test func updateOfUnknownIdFails() async throws {
        try await SandboxHarness.with { sandbox in
            let result = try await sandbox.importResult(
                action: "update", json: #"{"user":{"id":42,"group_name":["X"]}}"#)
            #expect(result["success"] == false)
            #expect(result["error"] == true)
            #expect(result["error_message"]?.string?.isEmpty == false)
            let noId = try await sandbox.importResult(action: "update", json: #"{"user":{"group_name":["X"]}}"#)
            #expect(noId["error"] == true)
        }
    }

    @Test(arguments: [
        #"{"user":{"first_name":"Без контактов"}}"#,
        #"{"user":{"email":"not-an-email"}}"#,
        #"{"user":{"email":"two@@example.com"}}"#,
        #"{"user":{"email":"space in@example.com"}}"#,
        #"{"system":{"refresh_if_exists":1}}"#,
    ])
    func rowProblemsAreActionErrors(json: String) async throws {
        try await SandboxHarness.with { sandbox in
            let reply = try await sandbox.importCall(json: json)
            #expect(reply.status == 200)
            let answer = try reply.json
            #expect(answer["success"] == true)
            #expect(answer["result"]?["success"] == false)
            #expect(answer["result"]?["error"] == true)
            #expect(answer["result"]?["error_message"]?.string?.isEmpty == false)
            #expect(try await sandbox.state()["summary"]?["users"] == 0)
        }
    }

    @Test func phoneOnlyGetsTechnicalEmailAndMatchesByPhone() async throws {
        try await SandboxHarness.with { sandbox in
            let first = try await sandbox.importResult(json: #"{"user":{"phone":"+7 (900) 123-45-67"}}"#)
            #expect(first["user_status"] == "added")
            let again = try await sandbox.importResult(
                json: #"{"user":{"phone":"79001234567","city":"Сочи"},"system":{"refresh_if_exists":1}}"#
            )
            #expect(again["user_id"] == first["user_id"])
            let user = try #require(try await sandbox.state()["users"]?.arrayElements?.first)
            #expect(user["technical_email"] == true)
            #expect(user["email"]?.string?.hasPrefix("79001234567@") == true)
            #expect(user["fields"]?["city"] == "Сочи")
        }
    }

    @Test func partnerMustExistAndBecomesPartner() async throws {
        try await SandboxHarness.with { sandbox in
            let missing = try await sandbox.importResult(
                json: #"{"user":{"email":"ref@example.com"},"system":{"partner_email":"nobody@example.com"}}"#
            )
            #expect(missing["error"] == true)
            #expect(try await sandbox.state()["summary"]?["users"] == 0)

            let partner = try await sandbox.importResult(json: #"{"user":{"email":"partner@example.com"}}"#)
            let referral = try await sandbox.importResult(
                json: #"{"user":{"email":"ref@example.com"},"system":{"partner_email":"Partner@example.com"}}"#
            )
            #expect(referral["user_status"] == "added")
            let users = try await sandbox.state()["users"]?.arrayElements ?? []
            #expect(users[0]["is_partner"] == true)
            #expect(users[1]["partner_id"] == partner["user_id"])
        }
    }

    @Test func gcpcWinsOverPartnerEmail() async throws {
        try await SandboxHarness.with { sandbox in
            let one = try await sandbox.importResult(json: #"{"user":{"email":"one@example.com"}}"#)
            let two = try await sandbox.importResult(json: #"{"user":{"email":"two@example.com"}}"#)
            let twoId = try #require(two["user_id"]?.int)
            _ = try await sandbox.importResult(
                json: """
                    {"user":{"email":"ref@example.com"},"system":{"partner_email":"one@example.com"},
                    "session":{"gcpc":"\(twoId)"}}
                    """
            )
            let users = try await sandbox.state()["users"]?.arrayElements ?? []
            #expect(users[2]["partner_id"]?.int == twoId)
            #expect(users[0]["is_partner"] == false)
            #expect(users[0]["id"] == one["user_id"])
            // A gcpc naming nobody fails the row even when partner_email is fine.
            let bad = try await sandbox.importResult(
                json:
                    #"{"user":{"email":"x@example.com"},"system":{"partner_email":"one@example.com"},"session":{"gcpc":"999"}}"#
            )
            #expect(bad["error"] == true)
        }
    }
}
