/// A small HTTP/1.1 server on POSIX sockets and Dispatch, for the admin console and its API.
///
/// One serial queue drives every socket through non-blocking read and write sources, so a slow or
/// hostile client costs a descriptor and a little memory, never a thread; each request's handler runs
/// as a Task. The limits (`HTTPLimits`) answer oversized or slow requests with an error and close.
public final class HTTPServer: Sendable {
    /// The bound port: the one asked for, or the free one the system picked for port 0.
    public let port: UInt16
    private let listener: HTTPListener

    /// Binds and listens at once (so a taken port fails here, clearly); `start()` begins accepting.
    public init(
        host: String, port: UInt16, limits: HTTPLimits = HTTPLimits(),
        handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse
    ) throws {
        try Self.check(limits)
        let socket = try ListeningSocket(host: host, port: port)
        self.port = socket.port
        listener = HTTPListener(listenFD: socket.fd, limits: limits, handler: handler)
    }

    /// Accepts connections on the server's own queue; returns at once.
    public func start() { listener.start() }

    /// Closes the listener and every connection; returns once they are closed. Idempotent.
    public func stop() { listener.stop() }

    deinit { listener.stop() }

    private static func check(_ limits: HTTPLimits) throws {
        let values = [
            ("maxHeaderBytes", limits.maxHeaderBytes), ("maxBodyBytes", limits.maxBodyBytes),
            ("requestTimeoutMilliseconds", limits.requestTimeoutMilliseconds),
            ("idleTimeoutMilliseconds", limits.idleTimeoutMilliseconds), ("maxConnections", limits.maxConnections),
        ]
        for (name, value) in values where value < (name == "maxBodyBytes" ? 0 : 1) {
            throw HTTPServerError(code: .invalidLimits, message: "the HTTP limit \(name) must be positive, not \(value)")
        }
    }
}
