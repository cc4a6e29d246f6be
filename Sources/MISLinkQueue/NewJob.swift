/// A job to enqueue. Defaults for queue, priority and attempts come from the kind's policy,
/// which the caller resolves; the store takes them as given.
public struct NewJob: Sendable, Equatable {
    public var kind: String
    public var queue: String
    public var integration: String?
    /// JSON text; the caller has validated it.
    public var payload: String
    /// Higher runs first.
    public var priority: Int
    public var maxAttempts: Int
    /// Milliseconds since the Unix epoch; nil means now.
    public var runAt: Int64?
    /// While a job with this key is pending or running, enqueueing another returns that job.
    public var uniqueKey: String?
    /// At most `concurrencyLimit` jobs with this key run at once, across every worker and process.
    public var concurrencyKey: String?
    public var concurrencyLimit: Int

    public init(
        kind: String,
        queue: String = "default",
        integration: String? = nil,
        payload: String = "{}",
        priority: Int = 0,
        maxAttempts: Int = 5,
        runAt: Int64? = nil,
        uniqueKey: String? = nil,
        concurrencyKey: String? = nil,
        concurrencyLimit: Int = 1
    ) {
        self.concurrencyKey = concurrencyKey
        self.concurrencyLimit = concurrencyLimit
        self.kind = kind
        self.queue = queue
        self.integration = integration
        self.payload = payload
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.uniqueKey = uniqueKey
    }
}

/// What enqueueing did: a new job, or the pending job that already holds the unique key.
public struct EnqueueResult: Sendable, Equatable {
    public let id: Int64
    /// False when a pending job with the same unique key was returned instead.
    public let inserted: Bool
    public let state: JobState
}
