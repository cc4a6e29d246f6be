import MISLinkQueue
import MISLinkRunner

/// The one place a job is built from its kind's policy: the command line, a batch, go-live and the
/// nightly schedule all come here, so a property every sync job must carry is added once.
enum JobFactory {
    static func newJob(kind: String, integration: String?, payload: JSONPayload, policy: JobPolicy) -> NewJob {
        NewJob(
            kind: kind, queue: policy.queue, integration: integration, payload: payload.text, priority: policy.priority,
            maxAttempts: policy.maxAttempts,
            uniqueKey: EnqueueRules.defaultUniqueKey(kind: kind, integration: integration, payload: payload),
            concurrencyKey: JobKinds.concurrencyKey(kind: kind, integration: integration))
    }

    /// `{}`, the payload of a job that needs nothing more than its integration.
    // `{}` always parses: the force is safe.
    static let emptyPayload = try! JSONPayload(text: "{}")
}
