/// How a claimed job's run ended, as the runner reports it back to the store.
public enum JobOutcome: Sendable, Equatable {
    /// Done. `result` is optional JSON text to keep on the job.
    case succeeded(result: String?)
    /// This attempt failed. `retryAt` is when to try again (nil: never, the error is permanent).
    /// Whether it is tried again also depends on attempts left. `cause` says why, for the final-failure hook.
    case failed(message: String, retryAt: Int64?, cause: FailureCause = .error(code: nil))
    /// Not now: run again at `until` without spending an attempt.
    case snoozed(until: Int64)
    /// The worker is shutting down and did not finish it: back to `available`, attempt not charged.
    case handedBack
    /// An admin cancelled it while it ran.
    case cancelled(message: String)
}

/// Bookkeeping that must commit together with a job's completion (links, intake, import history,
/// an integration's state): run inside the completion's transaction, on the store's connection,
/// handed over as the back end's neutral transaction handle.
/// If it throws, its writes are rolled back and the job's attempt counts as a retryable failure.
public typealias CommitEffect = @Sendable (any QueueTransaction) throws -> Void

/// A job kind's bookkeeping for a job that has just ended `failed` (nil: none), committed with that failure.
public typealias FinalFailureHook = @Sendable (FinalFailure) -> CommitEffect?

/// One finished run, reported in a batch.
public struct Completion: Sendable {
    public let jobID: Int64
    public let outcome: JobOutcome
    /// Runs in the same transaction, only if the outcome is a success the store applied (the worker
    /// still held the job). A job that ends `failed` gets the store's `finalFailureHook` instead.
    public let effect: CommitEffect?

    public init(jobID: Int64, outcome: JobOutcome, effect: CommitEffect? = nil) {
        self.jobID = jobID
        self.outcome = outcome
        self.effect = effect
    }
}
