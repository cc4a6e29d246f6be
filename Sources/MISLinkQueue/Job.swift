/// Where a job is in its life.
///
/// `scheduled` (run-at in the future) → `available` → `running` → `succeeded` | `retryable` (waits out
/// its backoff, then becomes `available` again) | `failed` | `cancelled`.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case scheduled, available, running, retryable, succeeded, failed, cancelled

    /// States in which the job still has work ahead of it; a unique key is held while in one of them.
    public static let pending: [JobState] = [.scheduled, .available, .running, .retryable]
    /// States a job never leaves on its own; prune removes these.
    public static let finished: [JobState] = [.succeeded, .failed, .cancelled]

    public var isFinished: Bool { Self.finished.contains(self) }
}

/// One attempt's error, kept for the job's history.
public struct JobError: Sendable, Codable, Equatable {
    public let attempt: Int
    /// When the attempt ended (milliseconds since the Unix epoch).
    public let at: Int64
    public let message: String
    /// The worker that ran the attempt; nil for an error recorded outside a run (an admin's cancel
    /// of a waiting job) or before the queue recorded workers.
    public let worker: String?
    /// When the attempt started; nil as for `worker`.
    public let startedAt: Int64?

    public init(attempt: Int, at: Int64, message: String, worker: String? = nil, startedAt: Int64? = nil) {
        self.attempt = attempt
        self.at = at
        self.message = message
        self.worker = worker
        self.startedAt = startedAt
    }

    /// How long the attempt ran, when its start is known.
    public var durationMilliseconds: Int64? { startedAt.map { max(0, at - $0) } }
}

/// A job as stored. Times are milliseconds since the Unix epoch.
public struct Job: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var queue: String
    public var state: JobState
    public var integration: String?
    public var priority: Int
    public var attempt: Int
    public var maxAttempts: Int
    public var runAt: Int64
    public var createdAt: Int64
    public var startedAt: Int64?
    public var finishedAt: Int64?
    public var uniqueKey: String?
    /// The payload as JSON text, exactly as enqueued.
    public var payload: String
    public var lastError: String?
    public var errors: [JobError]
    public var result: String?
    public var progress: String?
    public var leaseOwner: String?
    public var leaseExpiresAt: Int64?
    public var cancelRequested: Bool
}

/// A job a worker has claimed: what a handler needs to run it.
public struct ClaimedJob: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    public let queue: String
    public let integration: String?
    public let payload: String
    public let priority: Int
    /// 1 on the first run.
    public let attempt: Int
    public let maxAttempts: Int
    public let createdAt: Int64
    public let runAt: Int64
}
