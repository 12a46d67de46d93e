import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// The one way gcimport talks HTTP to GetCourse, for import and account calls alike: redirects are
    /// reported, never followed (GetCourse answers a POST turned GET with «Пустой параметр action»), and a
    /// connection idle for 10 s is closed first: a connection the server closes while idle, just as a call is
    /// written on it, turns that call into an unknown (number-less deals cannot be resent); busy workers never
    /// leave theirs idle this long, so closing first costs nothing.
    static func getCourse(connections: Int, connectTimeout: Double, timeout: Double) -> HTTPClient {
        var config = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .milliseconds(Int64(connectTimeout * 1000)), read: .milliseconds(Int64(timeout * 1000))),
            connectionPool: .init(
                idleTimeout: .seconds(10), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections)))
        config.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }
}
