import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Collects one answer and remembers how far the request got, which is what separates a call that is
/// safe to send again (never fully written) from one whose fate is unknown (written, then no answer).
final class ResponseCollector: HTTPClientResponseDelegate, Sendable {
    /// The parts of an answer the classifier reads.
    struct Answer: Sendable {
        var status: Int
        var location: String?
        var retryAfter: String?
        var body: [UInt8]
    }

    private struct State {
        var requestWritten = false
        var bodyBytesWritten = 0
        var status = 0
        var location: String?
        var retryAfter: String?
        var body: [UInt8] = []
    }

    /// Answers are small JSON objects; a body larger than this is cut, so a wrong endpoint that streams a
    /// large page cannot eat memory.
    private let maxBodyBytes: Int
    /// The request body's length: once that many bytes reached the socket, the server can act on the call.
    private let requestBodyBytes: Int
    private let state = Mutex(State())

    init(requestBodyBytes: Int, maxBodyBytes: Int = 256 << 10) {
        self.requestBodyBytes = requestBodyBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// True once the whole request (head and body) was handed to the socket.
    var requestWritten: Bool { state.withLock { $0.requestWritten } }

    /// The last body byte, not `didSendRequest`, is the moment that counts: AsyncHTTPClient writes the
    /// request's end in a later event-loop hop, and a server that answers (or hangs up) as soon as the
    /// body is in can close the connection first. The end's write then fails, `didSendRequest` never
    /// comes, and a processed call would look unsent: about 1 dropped call in 300 did, and was resent.
    func didSendRequestPart(task: HTTPClient.Task<Answer>, _ part: IOData) {
        state.withLock {
            $0.bodyBytesWritten += part.readableBytes
            if $0.bodyBytesWritten >= requestBodyBytes { $0.requestWritten = true }
        }
    }

    func didSendRequest(task: HTTPClient.Task<Answer>) {
        state.withLock { $0.requestWritten = true }
    }

    func didReceiveHead(task: HTTPClient.Task<Answer>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLock {
            $0.status = Int(head.status.code)
            $0.location = head.headers.first(name: "location")
            $0.retryAfter = head.headers.first(name: "retry-after")
            // An answer proves the request arrived, even if the server answered before reading all of it.
            $0.requestWritten = true
            // A large export arrives in many parts: growing the array by doubling held twice its size.
            if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > 0 {
                $0.body.reserveCapacity(min(length, maxBodyBytes))
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Answer>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let limit = maxBodyBytes
        state.withLock { state in
            let room = limit - state.body.count
            if room > 0 { state.body.append(contentsOf: buffer.readableBytesView.prefix(room)) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Answer>) throws -> Answer {
        state.withLock { Answer(status: $0.status, location: $0.location, retryAfter: $0.retryAfter, body: $0.body) }
    }
}
