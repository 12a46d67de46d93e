import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One per connection: collects a request, asks the router, and writes (or withholds) the answer.
///
/// NIO's `HTTPServerPipelineHandler` sits in front, so pipelined requests arrive one at a time and a
/// delayed answer keeps its place in line.
final class SandboxHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Bodies above this are refused (413): GetCourse payloads are a few kilobytes.
    static let maximumBodySize = 8 * 1024 * 1024

    private let router: SandboxRouter
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(router: SandboxRouter) { self.router = router }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
            tooLarge = false
            // curl and PHP's curl send `Expect: 100-continue` for bodies over 1 KiB and wait up to a second
            // for this go-ahead; a web server gives it at once.
            if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let goAhead = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(goAhead)), promise: nil)
            }
        case .body(var chunk):
            guard !tooLarge else { return }
            if body.count + chunk.readableBytes > Self.maximumBodySize {
                tooLarge = true
                return
            }
            body.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            self.head = nil
            if tooLarge {
                write(.text("Request Entity Too Large", status: .payloadTooLarge), keepAlive: false, context: context)
                return
            }
            answer(SandboxRequest(head: head, body: body), keepAlive: head.isKeepAlive, context: context)
        }
    }

    private func answer(_ request: SandboxRequest, keepAlive: Bool, context: ChannelHandlerContext) {
        let outcome = router.route(request)
        let loop = context.eventLoop.assumeIsolated()
        switch outcome {
        case .respond(let response, let delay) where delay > .zero:
            // Scheduled, never slept: one slow answer must not hold up the loop's other connections.
            loop.scheduleTask(in: delay) { self.write(response, keepAlive: keepAlive, context: context) }
        case .respond(let response, _):
            write(response, keepAlive: keepAlive, context: context)
        case .drop(let delay) where delay > .zero:
            loop.scheduleTask(in: delay) { context.close(promise: nil) }
        case .drop:
            context.close(promise: nil)
        }
    }

    private func write(_ response: SandboxResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        // A file body goes out as a file region (sendfile), so a big export is never in memory.
        var region: (FileRegion, NIOFileHandle)?
        if let file = response.file {
            // A descriptor of its own per answer: the region closes it once sent, the spool keeps the file.
            let copy = dup(file.descriptor)
            guard copy >= 0 else {
                write(
                    .text("Export file not readable", status: .internalServerError), keepAlive: false, context: context)
                return
            }
            let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: copy)
            region = (FileRegion(fileHandle: handle, readerIndex: 0, endIndex: file.size), handle)
        }
        var headers = HTTPHeaders(response.headers)
        headers.add(name: "Content-Length", value: String(response.file?.size ?? response.body.count))
        headers.add(name: "Server", value: "gcimport-sandbox")
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !response.body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        if let (fileRegion, _) = region, fileRegion.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.fileRegion(fileRegion))), promise: nil)
        }
        let promise: EventLoopPromise<Void>? =
            keepAlive && region == nil ? nil : context.eventLoop.makePromise()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
        if let promise {
            promise.futureResult.assumeIsolated().whenComplete { _ in
                try? region?.1.close()
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A client that vanished mid-request is routine for a fault-injecting server; just drop the line.
        context.close(promise: nil)
    }
}
