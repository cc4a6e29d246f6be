import Foundation
import MISLinkQueue
import MISLinkRunner

/// One job as an admin asks for it (a command line, a batch line, later the console): every field
/// but the kind is optional and falls back on the kind's policy. `resolve` checks it all before
/// anything is written.
public struct JobRequest: Sendable, Equatable {
    public var kind: String
    public var integration: String?
    /// JSON text of an object; nil means `{}`.
    public var payload: String?
    public var priority: Int?
    public var queue: String?
    public var uniqueKey: String?
    /// A duration from now (`10m`), or
    public var delay: String?
    /// an ISO-8601 time.
    public var at: String?
    public var maxAttempts: Int?

    public init(kind: String) { self.kind = kind }

    /// The keys a batch line may have.
    public static let jsonKeys: Set<String> = [
        "kind", "payload", "integration", "priority", "queue", "uniqueKey", "in", "at", "maxAttempts",
    ]

    /// A batch line's object, with each field's type checked.
    public init(json object: [String: Any]) throws(SyncError) {
        if let unknown = object.keys.sorted().first(where: { !Self.jsonKeys.contains($0) }) {
            throw SyncError(.invalidInput, "unknown key '\(unknown)'")
        }
        guard let kind = object["kind"] as? String else { throw SyncError(.invalidInput, "missing \"kind\"") }
        self.init(kind: kind)
        if let payload = object["payload"] {
            guard JSONSerialization.isValidJSONObject(payload),
                let data = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]),
                let text = String(data: data, encoding: .utf8)
            else { throw SyncError(.invalidInput, "\"payload\" must be a JSON object") }
            self.payload = text
        }
        integration = try Self.field(object, "integration", "integration must be a non-empty string")
        queue = try Self.field(object, "queue", "queue must be a queue name: letters, digits, '-' or '_'")
        uniqueKey = try Self.field(object, "uniqueKey", "unique key must be a non-empty string")
        delay = try Self.field(object, "in", "'in' must be a duration such as 30s, 10m, 2h or 1d")
        at = try Self.field(object, "at", "'at' must be an ISO-8601 time such as 2026-11-28T02:00:00Z")
        priority = try Self.field(object, "priority", "priority must be a whole number from -1000 to 1000")
        maxAttempts = try Self.field(object, "maxAttempts", "maxAttempts must be a whole number from 1 to 1000")
    }

    private static func field<T>(_ object: [String: Any], _ key: String, _ message: String) throws(SyncError) -> T? {
        guard let value = object[key] else { return nil }
        guard let typed = value as? T, !(T.self == Int.self && JSONPayload.isBoolean(value)) else {
            throw SyncError(.invalidInput, message)
        }
        return typed
    }

    /// The job to write, with the policy's defaults filled in; the error says which field is wrong.
    package func resolve(policies: PolicySet, handlers: HandlerRegistry, now: Int64) throws(SyncError) -> NewJob {
        guard let policy = policies.policy(for: kind) else {
            throw SyncError(.invalidInput, "unknown job kind '\(kind)' (known: \(JobKinds.all.joined(separator: ", ")))")
        }
        let parsed: JSONPayload
        do throws(PayloadError) {
            parsed = try JSONPayload(text: payload ?? "{}")
            try parsed.checkNoSecrets()
            try handlers.handler(for: kind)?.validate(parsed)
        } catch {
            throw SyncError(.invalidInput, "\(kind): \(error.message)")
        }
        if let integration, integration.isEmpty { throw SyncError(.invalidInput, "integration must be a non-empty string") }
        var job = JobFactory.newJob(kind: kind, integration: integration, payload: parsed, policy: policy)
        if let queue {
            guard PlainName.isValid(queue) else {
                throw SyncError(.invalidInput, "queue must be a queue name: letters, digits, '-' or '_'")
            }
            job.queue = queue
        }
        if let priority {
            guard (-1000...1000).contains(priority) else {
                throw SyncError(.invalidInput, "priority must be a whole number from -1000 to 1000")
            }
            job.priority = priority
        }
        if let maxAttempts {
            guard (1...1000).contains(maxAttempts) else {
                throw SyncError(.invalidInput, "maxAttempts must be a whole number from 1 to 1000")
            }
            job.maxAttempts = maxAttempts
        }
        if let uniqueKey {
            guard !uniqueKey.isEmpty else { throw SyncError(.invalidInput, "unique key must be a non-empty string") }
            if EnqueueRules.requiresDefaultKey(kind), let required = job.uniqueKey, uniqueKey != required {
                throw SyncError(
                    .invalidInput, "a \(kind) job always has the unique key '\(required)' (one pending per integration)")
            }
            job.uniqueKey = uniqueKey
        }
        switch (delay, at) {
        case (.some, .some):
            throw SyncError(.invalidInput, "give either 'in' or 'at', not both")
        case (.some(let text), nil):
            guard let ms = DurationText.milliseconds(text) else {
                throw SyncError(.invalidInput, "'in' must be a duration such as 30s, 10m, 2h or 1d, not '\(text)'")
            }
            job.runAt = now + ms
        case (nil, .some(let text)):
            guard let ms = DurationText.isoTime(text) else {
                throw SyncError(.invalidInput, "'at' must be an ISO-8601 time such as 2026-11-28T02:00:00Z, not '\(text)'")
            }
            job.runAt = ms
        case (nil, nil):
            break
        }
        return job
    }
}
