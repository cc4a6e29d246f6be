/// What one client may ask of the server. A request past a limit gets an error status (or, when the
/// client is too slow or too many, is dropped) and never holds up other clients or the workers.
public struct HTTPLimits: Sendable, Equatable {
    /// The request line and headers together.
    public var maxHeaderBytes: Int
    public var maxBodyBytes: Int
    /// From a request's first byte to its last: a slowloris is cut off here.
    public var requestTimeoutMilliseconds: Int
    /// How long a kept-alive connection may sit idle between requests.
    public var idleTimeoutMilliseconds: Int
    /// Open connections at once; more are answered 503 and closed.
    public var maxConnections: Int

    public init(
        maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 1 << 20, requestTimeoutMilliseconds: Int = 10_000,
        idleTimeoutMilliseconds: Int = 5_000, maxConnections: Int = 256
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
        self.maxConnections = maxConnections
    }
}
