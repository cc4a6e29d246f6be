import MISLinkKit
import MISLinkQueue

/// Runs one kind of job. Registered by kind name in a `HandlerRegistry`.
public protocol JobHandler: Sendable {
    /// Checks a payload at enqueue time, so bad input is refused before anything is written.
    func validate(_ payload: JSONPayload) throws(PayloadError)
    /// Does the work. Throw `PluginError` to say whether a failure is retryable, permanent or a
    /// snooze; any other error counts as retryable.
    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult
    /// Bookkeeping for a job that has failed for good (an integration moves to `error`, say), committed
    /// with that failure whichever way it came: the handler's last failure, a timeout, a rescued run
    /// that never reported back, bookkeeping that could not be saved. Nil: nothing to record.
    func finalFailure(_ failure: FinalFailure) -> CommitEffect?
}

extension JobHandler {
    public func validate(_ payload: JSONPayload) throws(PayloadError) {}
    public func finalFailure(_ failure: FinalFailure) -> CommitEffect? { nil }
}

/// What a successful run leaves behind.
public struct JobResult: Sendable {
    /// JSON text kept as the job's result (a report, counts), or nil.
    public var json: String?
    /// Bookkeeping committed in the same transaction as the job's success, so that it happens exactly
    /// once even though a job may run more than once.
    public var effect: CommitEffect?

    public init(json: String? = nil, effect: CommitEffect? = nil) {
        self.json = json
        self.effect = effect
    }

    public static let none = JobResult()
}

/// What a handler gets besides the job: the plugin context (logger, progress, cancellation) and a way
/// to name the secrets it has resolved so that they are scrubbed from anything the runner keeps.
public struct JobContext: Sendable {
    public let jobID: Int64
    public let attempt: Int
    public let plugin: PluginContext
    let secretScrubber: SecretScrubber

    public init(jobID: Int64, attempt: Int, plugin: PluginContext, secretScrubber: SecretScrubber = SecretScrubber()) {
        self.jobID = jobID
        self.attempt = attempt
        self.plugin = plugin
        self.secretScrubber = secretScrubber
    }

    /// Declares secret values (passwords, tokens) this run uses; they never reach the job's errors or logs.
    public func declareSecrets(_ values: [String]) { secretScrubber.add(values) }

    /// The text with every declared secret replaced: for what a handler stores itself (a report).
    public func scrub(_ text: String) -> String { secretScrubber.scrub(text) }
}
