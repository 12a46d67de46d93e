import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import GetCourseSandbox

/// An in-process sandbox on a free loopback port plus an HTTP client that never follows redirects, so each
/// test sees exactly what the server answered.
final class SandboxHarness: Sendable {
    let server: SandboxServer
    let client: HTTPClient

    private init(server: SandboxServer, client: HTTPClient) {
        self.server = server
        self.client = client
    }

    /// Runs `body` against a fresh sandbox and always shuts both ends down.
    static func with(
        _ configuration: SandboxConfiguration = SandboxConfiguration(),
        _ body: (SandboxHarness) async throws -> Void
    ) async throws {
        let server = SandboxServer(configuration: configuration)
        try await server.start()
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let harness = SandboxHarness(server: server, client: client)
        do {
            try await body(harness)
        } catch {
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    /// What came back.
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as JSON; a failed parse fails the test.
        var json: JSONValue {
            get throws { try JSONParser.parse(body) }
        }
    }

    /// Sends a raw request.
    func send(
        _ path: String, method: HTTPMethod = .POST, body: String? = nil,
        contentType: String = "application/x-www-form-urlencoded"
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(buffer: bytes))
    }

    /// An import call with `params` built from `json` the way a correct client builds it.
    func importCall(
        _ path: String = "/pl/api/users", action: String = "add", key: String = "sandbox-key", json: String
    ) async throws -> Reply {
        try await send(path, body: Self.form(action: action, key: key, params: Self.params(json)))
    }

    /// An import call; returns `result` of a successful call (fails the test on a call-level error).
    func importResult(
        _ path: String = "/pl/api/users", action: String = "add", json: String
    ) async throws -> JSONValue {
        let reply = try await importCall(path, action: action, json: json)
        #expect(reply.status == 200)
        let answer = try reply.json
        #expect(answer["success"] == .bool(true), "call failed: \(reply.text)")
        return try #require(answer["result"])
    }

    /// GET with the key in the query, as the export API wants.
    func get(_ pathAndQuery: String) async throws -> Reply {
        try await send(pathAndQuery, method: .GET)
    }

    /// The account's state through the admin endpoint.
    func state() async throws -> JSONValue {
        try await get("/__sandbox/state").json
    }

    /// Base64 of the JSON, percent-encoded for a form (`+ / =`).
    static func params(_ json: String) -> String {
        percentEncode(Data(json.utf8).base64EncodedString())
    }

    static func form(action: String, key: String, params: String) -> String {
        "action=\(percentEncode(action))&key=\(percentEncode(key))&params=\(params)"
    }

    static func percentEncode(_ text: String) -> String {
        // ASCII only: `alphanumerics` would let Cyrillic letters through unencoded.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension JSONValue {
    /// Numbers and strings alike, for comparing ids.
    var int: Int? { scalarText.flatMap { Int($0) } }
    var string: String? { if case .string(let text) = self { text } else { nil } }
    var count: Int { arrayElements?.count ?? objectMembers?.count ?? 0 }
}
