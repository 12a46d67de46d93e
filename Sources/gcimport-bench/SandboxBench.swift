import Dispatch
import Foundation
import GetCourseSandbox
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `gcimport-bench sandbox`: requests per second an in-process sandbox serves on loopback to keep-alive
/// clients sending users `add` calls (distinct emails, so most calls create a user).
///
/// The client is raw NIO (one request in flight per connection, like `wrk` without pipelining) so that the
/// figure measures the server, not a heavy client sharing the same cores.
enum SandboxBench {
    struct Options {
        var connections = 16
        var seconds = 5.0
        var maximumRequests = 2_000_000
        var serverThreads = 1
        var clientThreads = 1
        var latencyMilliseconds = 0
        var distinctEmails = 50_000

        init(_ arguments: [String]) throws {
            var rest = arguments[...]
            while let flag = rest.popFirst() {
                guard let value = rest.popFirst(), let number = Double(value) else {
                    throw BenchError("\(flag) needs a number")
                }
                switch flag {
                case "--connections": connections = Int(number)
                case "--seconds": seconds = min(number, 60)  // bounded: a benchmark must not run away
                case "--requests": maximumRequests = Int(number)
                case "--server-threads": serverThreads = Int(number)
                case "--client-threads": clientThreads = Int(number)
                case "--latency": latencyMilliseconds = Int(number)
                case "--emails": distinctEmails = Int(number)
                default: throw BenchError("unknown option \(flag)")
                }
            }
            guard connections > 0, seconds > 0, maximumRequests > 0, distinctEmails > 0 else {
                throw BenchError("options must be positive")
            }
        }
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// What one connection did.
    struct ConnectionResult: Sendable {
        var ok = 0
        var failed = 0
        var latencies: [Int64] = []
    }

    static func run(_ arguments: [String]) throws {
        let options = try Options(arguments)
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<String, any Error>?>(nil)
        Task {
            do {
                let report = try await measure(options)
                outcome.withLock { $0 = .success(report) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        guard let result = outcome.withLock({ $0 }) else { throw BenchError("benchmark did not finish") }
        print(try result.get())
    }

    private static func measure(_ options: Options) async throws -> String {
        let configuration = SandboxConfiguration(
            latencyMilliseconds: options.latencyMilliseconds, threads: options.serverThreads
        )
        let server = SandboxServer(configuration: configuration)
        try await server.start()
        let requests = makeRequests(count: options.distinctEmails, port: server.port)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.clientThreads)
        let budget = SharedBudget(options.maximumRequests)
        let deadline = NIODeadline.now() + .nanoseconds(Int64(options.seconds * 1e9))
        let started = NIODeadline.now()
        var futures: [EventLoopFuture<ConnectionResult>] = []
        for connection in 0..<options.connections {
            let loop = group.next()
            let promise = loop.makePromise(of: ConnectionResult.self)
            let bootstrap = ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            BenchClientHandler(
                                requests: requests, first: connection, stride: options.connections,
                                deadline: deadline, budget: budget, promise: promise
                            )
                        )
                    }
                }
            bootstrap.connect(host: "127.0.0.1", port: server.port).whenFailure { promise.fail($0) }
            futures.append(promise.futureResult)
        }
        var results: [ConnectionResult] = []
        for future in futures { results.append(try await future.get()) }
        let elapsed = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        try await group.shutdownGracefully()
        let users = server.snapshot()?.summary.users ?? 0
        try await server.shutdown()

        let ok = results.reduce(0) { $0 + $1.ok }
        let failed = results.reduce(0) { $0 + $1.failed }
        let latencies = results.flatMap(\.latencies).sorted()
        let percentile = { (p: Double) -> String in
            guard !latencies.isEmpty else { return "-" }
            let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            return String(format: "%.2f ms", Double(value) / 1e6)
        }
        return String(
            format: """
                sandbox users-add, %d keep-alive connections, server threads %d, client threads %d
                  requests ok %d, failed %d in %.2f s: %.0f req/s
                  latency p50 %@, p99 %@; users in state %d
                """,
            options.connections, options.serverThreads, options.clientThreads, ok, failed, elapsed,
            Double(ok) / elapsed, percentile(0.5), percentile(0.99), users
        )
    }

    /// Requests ready to write: users `add` for distinct emails, params encoded as a correct client
    /// encodes them (base64, then percent-encoded).
    private static func makeRequests(count: Int, port: Int) -> [BenchRequest] {
        (0..<count).map { index in
            let json =
                #"{"user":{"email":"bench\#(index)@example.com","first_name":"Бенч","group_name":["Bench"]},"#
                + #""system":{"refresh_if_exists":1}}"#
            let params = Data(json.utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F")
                .replacingOccurrences(of: "=", with: "%3D")
            let body = ByteBuffer(string: "action=add&key=\(SandboxConfiguration.defaultKey)&params=\(params)")
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/pl/api/users")
            head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
            head.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            head.headers.add(name: "Content-Length", value: String(body.readableBytes))
            return BenchRequest(head: head, body: body)
        }
    }
}

/// One prepared request.
struct BenchRequest: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer
}

/// Requests left to send, shared by all connections, so `--requests` bounds the whole run.
final class SharedBudget: Sendable {
    private let left: Atomic<Int>
    init(_ total: Int) { left = Atomic(total) }
    /// True when one more request may go.
    func take() -> Bool { left.subtract(1, ordering: .relaxed).newValue >= 0 }
}

/// One keep-alive connection: sends a request, waits for the whole answer, sends the next.
final class BenchClientHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let requests: [BenchRequest]
    private var next: Int
    private let stride: Int
    private let deadline: NIODeadline
    private let budget: SharedBudget
    private let promise: EventLoopPromise<SandboxBench.ConnectionResult>
    private var result = SandboxBench.ConnectionResult()
    private var sentAt = NIODeadline.now()
    private var status: HTTPResponseStatus = .ok
    private var finished = false

    init(
        requests: [BenchRequest], first: Int, stride: Int, deadline: NIODeadline, budget: SharedBudget,
        promise: EventLoopPromise<SandboxBench.ConnectionResult>
    ) {
        self.requests = requests
        self.next = first
        self.stride = stride
        self.deadline = deadline
        self.budget = budget
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) { send(context) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = head.status
        case .body: break
        case .end:
            if status == .ok { result.ok += 1 } else { result.failed += 1 }
            result.latencies.append((NIODeadline.now() - sentAt).nanoseconds)
            send(context)
        }
    }

    private func send(_ context: ChannelHandlerContext) {
        guard NIODeadline.now() < deadline, budget.take() else {
            finish(.success(result))
            context.close(promise: nil)
            return
        }
        sentAt = .now()
        let request = requests[next % requests.count]
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(request.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        next += stride
    }

    func channelInactive(context: ChannelHandlerContext) { finish(.success(result)) }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    /// Completes the connection's promise once, whichever of close, error or deadline comes first.
    private func finish(_ outcome: Result<SandboxBench.ConnectionResult, any Error>) {
        guard !finished else { return }
        finished = true
        promise.completeWith(outcome)
    }
}
