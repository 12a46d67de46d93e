import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// How the client talks to the service; defaults suit the real GetCourse.
package struct ImportClientConfiguration: Sendable {
    /// Connections kept per host; the engine sets it to the worker count, so each worker owns one.
    var connections: Int = 4
    /// Seconds to wait for an answer once the request is written (`--timeout`).
    var timeout: Double = 30
    /// Seconds to wait for a connection.
    var connectTimeout: Double = 10
}

/// The GetCourse import API over one AsyncHTTPClient, called from Dispatch worker threads.
///
/// Measured here: `execute(...).wait()` from worker threads ran about twice as fast as URLSession and
/// opened exactly one connection per worker. Redirects are never followed: GetCourse answers a POST that
/// a redirect turned into a GET with «Пустой параметр action», so a 3xx is reported instead.
package final class ImportClient: Sendable {
    private let http: HTTPClient
    private let target: ImportTarget
    private let key: APIKey
    private let configuration: ImportClientConfiguration
    private let userAgent = "gcimport/\(GCImportVersion.current)"

    init(target: ImportTarget, key: APIKey, configuration: ImportClientConfiguration = .init()) {
        self.target = target
        self.key = key
        self.configuration = configuration
        http = .getCourse(
            connections: configuration.connections, connectTimeout: configuration.connectTimeout,
            timeout: configuration.timeout)
    }

    /// Sends one payload and classifies the answer. Blocks the calling (worker) thread.
    @available(*, noasync, message: "blocks its thread; call it from a worker queue")
    func send(_ payload: ImportPayload) -> CallResult {
        let body = FormBody.encode(action: payload.kind.action, key: key.secret, params: payload.params)
        let request: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: FormBody.contentType)
            headers.add(name: "Accept", value: "application/json")
            headers.add(name: "User-Agent", value: userAgent)
            request = try HTTPClient.Request(
                url: target.url(for: payload.kind), method: .POST, headers: headers, body: .bytes(body))
        } catch {
            let refusal = ServiceRefusal(reason: .notTheAPI, serviceMessage: "bad URL \(target.url(for: payload.kind))")
            return CallResult(.fatal(refusal), httpStatus: nil)
        }
        let collector = ResponseCollector(requestBodyBytes: body.count)
        let budget = configuration.connectTimeout + configuration.timeout + 5
        let deadline = NIODeadline.now() + .milliseconds(Int64(budget * 1000))
        do {
            let answer = try http.execute(request: request, delegate: collector, deadline: deadline).wait()
            return AnswerClassifier.classify(
                status: answer.status, body: answer.body, location: answer.location, retryAfter: answer.retryAfter)
        } catch {
            let reason = Self.describe(error, timeout: configuration.timeout)
            if collector.requestWritten {
                return CallResult(.unknown(message: "sent, but no answer: \(reason)"), httpStatus: nil)
            }
            return CallResult(
                .failed(message: "not sent: \(reason)", retryAfter: nil, isPushback: false), httpStatus: nil)
        }
    }

    /// Closes the connections. Call once, after the last `send`.
    @available(*, noasync, message: "blocks until the connections are closed")
    func shutdown() {
        try? http.syncShutdown()
    }

    /// A short, key-free description of a transport error.
    static func describe(_ error: any Error, timeout: Double) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .deadlineExceeded: return "no answer within \(formatSeconds(timeout)) s (--timeout)"
            case .connectTimeout: return "connecting timed out"
            case .remoteConnectionClosed: return "the service closed the connection"
            case .cancelled: return "cancelled"
            default: return "\(error)"
            }
        }
        if let error = error as? IOError { return "connection error: \(strerrorText(error.errnoCode))" }
        if error is ChannelError { return "connection error: \(error)" }
        return "\(error)"
    }

    private static func strerrorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func formatSeconds(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}
