import NIOCore
import NIOHTTP1

/// One HTTP request as the router sees it: fully read, body included.
struct SandboxRequest {
    var method: HTTPMethod
    /// The request target as sent (path and query).
    var uri: String
    /// The path without the query, percent-decoding left to the router.
    var path: String
    /// Query parameters, decoded like PHP's `$_GET`.
    var query: [String: String]
    var headers: HTTPHeaders
    var body: [UInt8]

    init(head: HTTPRequestHead, body: [UInt8]) {
        method = head.method
        uri = head.uri
        headers = head.headers
        self.body = body
        if let mark = head.uri.firstIndex(of: "?") {
            path = String(head.uri[..<mark])
            query = FormDecoder.decode(head.uri.utf8[head.uri.utf8.index(after: mark)...])
        } else {
            path = head.uri
            query = [:]
        }
    }

    /// The form fields of a POST body (urlencoded or multipart), as PHP's `$_POST` would hold them.
    var form: [String: String] {
        let contentType = headers.first(name: "content-type") ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            return MultipartDecoder.decode(body, contentType: contentType)
        }
        return FormDecoder.decode(body)
    }
}

/// An answer to send, or the decision to send none.
struct SandboxResponse {
    var status: HTTPResponseStatus
    var headers: [(String, String)]
    var body: [UInt8]
    /// A body sent from a file instead (an export's answer); held here so the file outlives the send.
    var file: ExportSpool?

    /// A JSON answer (HTTP 200 unless told otherwise), as every API answer is.
    static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok) -> SandboxResponse {
        SandboxResponse(
            status: status, headers: [("Content-Type", "application/json; charset=utf-8")],
            body: JSONWriter.bytes(value)
        )
    }

    /// A JSON answer already written to a file, sent from there.
    static func file(_ spool: ExportSpool) -> SandboxResponse {
        SandboxResponse(
            status: .ok, headers: [("Content-Type", "application/json; charset=utf-8")], body: [], file: spool)
    }

    /// A plain text answer (404 pages, 500 errors).
    static func text(_ text: String, status: HTTPResponseStatus) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(text.utf8))
    }
}

/// What the connection handler should do with a request.
enum RouteOutcome {
    /// Send this answer after `delay` (latency is scheduled on the event loop, never slept).
    case respond(SandboxResponse, delay: TimeAmount)
    /// Close the connection after `delay` without answering: the change, if any, is already applied.
    case drop(delay: TimeAmount)
}
