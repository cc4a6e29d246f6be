/// How loud a log line is.
public enum LogLevel: String, Sendable, Codable, Comparable {
    case debug, info, warning, error

    private var rank: Int {
        switch self {
        case .debug: 0
        case .info: 1
        case .warning: 2
        case .error: 3
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}

/// What a plugin gets with every call: a logger, a progress reporter and cancellation.
/// A plugin never sees the queue or the database.
public struct PluginContext: Sendable {
    private let logSink: @Sendable (LogLevel, String) -> Void
    private let progressSink: @Sendable (Progress) -> Void

    /// Where a long call has got to.
    public struct Progress: Sendable, Equatable, Codable {
        public let done: Int
        public let total: Int?
        public let message: String?

        public init(done: Int, total: Int? = nil, message: String? = nil) {
            self.done = done
            self.total = total
            self.message = message
        }
    }

    public init(
        log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in },
        progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) {
        self.logSink = log
        self.progressSink = progress
    }

    /// A context that drops everything: for tests and tools.
    public static let silent = PluginContext()

    public func log(_ level: LogLevel, _ message: String) { logSink(level, message) }
    public func report(_ progress: Progress) { progressSink(progress) }

    /// Throws `CancellationError` when the job was cancelled, timed out or the worker is stopping.
    /// Long loops should call it now and then; async calls that sleep or wait see cancellation anyway.
    public func checkCancellation() throws { try Task.checkCancellation() }
    public var isCancelled: Bool { Task.isCancelled }
}
