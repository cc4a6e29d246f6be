import MISLinkQueue
import MISLinkRunner

/// The one place a job is built from its kind's policy: the command line, a batch, go-live, the
/// nightly schedule and an import's leaver moves all come here, so a property every sync job must
/// carry (its concurrency key) is added once.
enum JobFactory {
    static func newJob(kind: String, integration: String?, payload: JSONPayload, policy: JobPolicy) -> NewJob {
        newJob(
            kind: kind, integration: integration, payloadText: payload.text, policy: policy,
            uniqueKey: EnqueueRules.defaultUniqueKey(kind: kind, integration: integration, payload: payload))
    }

    /// A job whose payload is already checked JSON text, with the unique key given.
    static func newJob(kind: String, integration: String?, payloadText: String, policy: JobPolicy, uniqueKey: String?)
        -> NewJob
    {
        NewJob(
            kind: kind, queue: policy.queue, integration: integration, payload: payloadText, priority: policy.priority,
            maxAttempts: policy.maxAttempts, uniqueKey: uniqueKey,
            concurrencyKey: JobKinds.concurrencyKey(kind: kind, integration: integration))
    }

    /// `{}`, the payload of a job that needs nothing more than its integration.
    // `{}` always parses: the force is safe.
    static let emptyPayload = try! JSONPayload(text: "{}")
}
