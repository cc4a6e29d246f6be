/// How a claimed job's run ended, as the runner reports it back to the store.
public enum JobOutcome: Sendable, Equatable {
    /// Done. `result` is optional JSON text to keep on the job.
    case succeeded(result: String?)
    /// This attempt failed. `retryAt` is when to try again (nil: never, the error is permanent).
    /// Whether it is tried again also depends on attempts left.
    case failed(message: String, retryAt: Int64?)
    /// Not now: run again at `until` without spending an attempt.
    case snoozed(until: Int64)
    /// The worker is shutting down and did not finish it: back to `available`, attempt not charged.
    case handedBack
    /// An admin cancelled it while it ran.
    case cancelled(message: String)
}

/// One finished run, reported in a batch.
public struct Completion: Sendable, Equatable {
    public let jobID: Int64
    public let outcome: JobOutcome
    public init(jobID: Int64, outcome: JobOutcome) {
        self.jobID = jobID
        self.outcome = outcome
    }
}
