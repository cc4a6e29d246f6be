/// Why an attempt failed, as a type rather than a message prefix: a job's final-failure hook decides
/// from it (a refusal is not a fault of the integration; a timeout or an abandoned run is).
public enum FailureCause: Sendable, Equatable {
    /// The handler threw. `code` is the handler's own name for the failure (nil: none given).
    case error(code: String?)
    /// The run took longer than its kind's timeout.
    case timedOut
    /// The run never reported back: its worker died or lost the lease (a possible poison job).
    case abandoned
    /// The job could not be started: no handler for its kind here, or a payload that is not JSON.
    case notRunnable
    /// The run succeeded but its bookkeeping could not be saved.
    case bookkeeping
}

/// A job that has just ended `failed`, by whatever path: what its kind's final-failure hook sees.
public struct FinalFailure: Sendable, Equatable {
    public let jobID: Int64
    public let kind: String
    public let integration: String?
    public let attempt: Int
    public let maxAttempts: Int
    /// The message recorded as the job's last error.
    public let message: String
    public let cause: FailureCause

    public init(
        jobID: Int64, kind: String, integration: String?, attempt: Int, maxAttempts: Int, message: String,
        cause: FailureCause
    ) {
        self.jobID = jobID
        self.kind = kind
        self.integration = integration
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.message = message
        self.cause = cause
    }
}
