import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import GetCourseSandbox

/// Call-level behaviour: keys, actions, params decoding, methods, unknown paths.
@Suite struct ProtocolTests {
    let user = #"{"user":{"email":"ivan@example.com"}}"#

    @Test func badKeyIsUnauthorizedWithHTTP200() async throws {
        try await SandboxHarness.with { sandbox in
            let reply = try await sandbox.importCall(key: "wrong", json: user)
            #expect(reply.status == 200)
            #expect(try reply.json == .object([("success", false), ("error", "Неавторизованное API-обращение")]))
            #expect(try await sandbox.state()["summary"]?["users"] == 0)
        }
    }

    @Test func unknownActionIsForbidden() async throws {
        try await SandboxHarness.with { sandbox in
            let reply = try await sandbox.importCall(action: "delete", json: user)
            #expect(try reply.json["error"] == "Действие запрещено")
            let deals = try await sandbox.importCall("/pl/api/deals", action: "update", json: user)
            #expect(try deals.json["error"] == "Действие запрещено")
        }
    }

    @Test func readOnlyKeyMayNotImport() async throws {
        try await SandboxHarness.with(SandboxConfiguration(readOnlyKey: "reader")) { sandbox in
            let reply = try await sandbox.importCall(key: "reader", json: user)
            #expect(try reply.json["error"] == "Действие запрещено")
            let groups = try await sandbox.get("/pl/api/account/groups?key=reader")
            #expect(try groups.json["success"] == true)
        }
    }

    @Test(arguments: [
        "",  // missing
        "bm90IGpzb24=",  // base64 of "not json"
        "e30%3D",  // base64 of "{}": empty params
        "%7B%22user%22%3A%7B%7D%7D",  // raw JSON, not base64
    ])
    func undecodableParamsAreNotGiven(params: String) async throws {
        try await SandboxHarness.with { sandbox in
            let body = params.isEmpty ? "action=add&key=sandbox-key" : "action=add&key=sandbox-key&params=\(params)"
            let reply = try await sandbox.send("/pl/api/users", body: body)
            #expect(reply.status == 200)
            #expect(try reply.json == .object([("success", false), ("error", "Не указаны параметры")]))
        }
    }

    /// The classic client bug: base64 put into the form without percent-encoding. Its `+` turns into a
    /// space, the base64 shifts, and the service cannot read the params.
    @Test func unencodedPlusInBase64BreaksParams() async throws {
        // "~~~>" lands on base64 "fn4+", so this payload's base64 carries two '+'.
        let json = #"{"user":{"email":"plus@example.com","first_name":"~~~>"}}"#
        let base64 = Data(json.utf8).base64EncodedString()
        #expect(base64.contains("+"))
        try await SandboxHarness.with { sandbox in
            let raw = try await sandbox.send("/pl/api/users", body: "action=add&key=sandbox-key&params=\(base64)")
            #expect(try raw.json["error"] == "Не указаны параметры")
            let encoded = try await sandbox.importCall(json: json)
            #expect(try encoded.json["result"]?["user_status"] == "added")
        }
    }

    @Test func unencodedSlashAndPaddingStillDecode() async throws {
        // '/' and '=' survive form decoding unencoded; only '+' is destroyed.
        let json = #"{"user":{"email":"slash@example.com","city":"???1"}}"#
        let base64 = Data(json.utf8).base64EncodedString()
        #expect(!base64.contains("+") && base64.contains("/") && base64.hasSuffix("=="))
        try await SandboxHarness.with { sandbox in
            let reply = try await sandbox.send("/pl/api/users", body: "action=add&key=sandbox-key&params=\(base64)")
            #expect(try reply.json["result"]?["success"] == true)
        }
    }

    @Test func multipartFormIsAccepted() async throws {
        let boundary = "XyZ123"
        let parts = [("action", "add"), ("key", "sandbox-key"), ("params", Data(user.utf8).base64EncodedString())]
        let body =
            parts.map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"\($0.0)\"\r\n\r\n\($0.1)\r\n" }
            .joined() + "--\(boundary)--\r\n"
        try await SandboxHarness.with { sandbox in
            let reply = try await sandbox.send(
                "/pl/api/users", body: body, contentType: "multipart/form-data; boundary=\(boundary)"
            )
            #expect(try reply.json["result"]?["user_status"] == "added")
        }
    }

    @Test func getOnImportEndpointHasEmptyAction() async throws {
        try await SandboxHarness.with { sandbox in
            let reply = try await sandbox.get("/pl/api/users?action=add&key=sandbox-key")
            #expect(reply.status == 200)
            #expect(try reply.json == .object([("success", false), ("error", "Пустой параметр action")]))
            let missing = try await sandbox.send("/pl/api/deals", body: "key=sandbox-key")
            #expect(try missing.json["error"] == "Пустой параметр action")
        }
    }

    @Test func unknownPathIs404() async throws {
        try await SandboxHarness.with { sandbox in
            let api = try await sandbox.get("/pl/api/nothing")
            let page = try await sandbox.get("/index.html")
            #expect(api.status == 404)
            #expect(page.status == 404)
        }
    }

    @Test func answersAreJSONWithContentType() async throws {
        try await SandboxHarness.with { sandbox in
            let reply = try await sandbox.importCall(json: user)
            #expect(reply.headers.first(name: "content-type")?.hasPrefix("application/json") == true)
            let result = try reply.json
            #expect(result["action"] == "add")
            #expect(result["result"]?["error"] == false)
            #expect(result["result"]?["error_message"] == "")
            // user_id is a JSON integer.
            guard case .number = result["result"]?["user_id"] else {
                Issue.record("user_id is not a number: \(reply.text)")
                return
            }
        }
    }
}
