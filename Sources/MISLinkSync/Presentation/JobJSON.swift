import Foundation
import MISLinkQueue
import MISLinkRunner

/// A job as JSON for admins: one shape for `mislink … --json` and the console's API, so that the
/// two never drift. Values under secret-looking keys (in the payload, result and progress) show as
/// `(redacted)`: enqueue refuses them, but an older build, a handler or a hand edit may have stored one.
public enum JobJSON {
    public static func time(_ milliseconds: Int64?) -> Any {
        milliseconds.map { DurationText.isoString(milliseconds: $0) as Any } ?? NSNull()
    }

    /// JSON text kept on a record, parsed back so that it nests as JSON rather than as a string.
    public static func embedded(_ text: String?) -> Any {
        guard let text, let data = text.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return text.map { $0 as Any } ?? NSNull() }
        return value
    }

    /// `embedded`, with every value under a secret-looking key replaced by "(redacted)".
    public static func redacted(_ text: String?) -> Any { redact(embedded(text)) }

    /// The same redaction for text output: the JSON written back with secret-looking values hidden,
    /// so `jobs show` in text never prints what `--json` would hide.
    public static func redactedText(_ text: String) -> String {
        let value = redacted(text)
        guard JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }

    static func redact(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var copy: [String: Any] = [:]
            for (key, nested) in object {
                copy[key] = JSONPayload.isSecretLookingKey(key) ? "(redacted)" : redact(nested)
            }
            return copy
        }
        if let array = value as? [Any] { return array.map(redact) }
        return value
    }

    public static func object(_ job: Job) -> [String: Any] {
        [
            "id": job.id,
            "kind": job.kind,
            "queue": job.queue,
            "state": job.state.rawValue,
            "integration": job.integration.map { $0 as Any } ?? NSNull(),
            "priority": job.priority,
            "attempt": job.attempt,
            "maxAttempts": job.maxAttempts,
            "runAt": time(job.runAt),
            "createdAt": time(job.createdAt),
            "startedAt": time(job.startedAt),
            "finishedAt": time(job.finishedAt),
            "uniqueKey": job.uniqueKey.map { $0 as Any } ?? NSNull(),
            "payload": redacted(job.payload),
            "lastError": job.lastError.map { $0 as Any } ?? NSNull(),
            "errors": job.errors.map(object),
            "result": redacted(job.result),
            "progress": redacted(job.progress),
            "leaseOwner": job.leaseOwner.map { $0 as Any } ?? NSNull(),
            "cancelRequested": job.cancelRequested,
        ]
    }

    /// One attempt's error: when it started and ended, how long it ran and on which worker (null
    /// when the error was not an attempt's, such as an admin's cancel of a waiting job).
    public static func object(_ error: JobError) -> [String: Any] {
        [
            "attempt": error.attempt, "at": time(error.at), "message": error.message,
            "worker": error.worker.map { $0 as Any } ?? NSNull(), "startedAt": time(error.startedAt),
            "durationMs": error.durationMilliseconds.map { $0 as Any } ?? NSNull(),
        ]
    }

    /// What a bulk retry, cancel or discard answers.
    public static func object(_ report: BulkReport) -> [String: Any] {
        [
            "action": report.action.rawValue, "acted": report.acted, "requested": report.requested,
            "refusedCount": report.refusedCount,
            "refused": report.refused.map { ["id": $0.id, "reason": $0.reason] as [String: Any] },
        ]
    }

    /// What a count of a filter's matches answers.
    public static func object(_ count: JobCount) -> [String: Any] {
        ["count": count.count, "upTo": count.upToID]
    }

    /// What an enqueue answers (`mislink enqueue --json`, `POST /api/jobs`).
    public static func enqueued(_ result: EnqueueResult) -> [String: Any] {
        ["id": result.id, "inserted": result.inserted, "state": result.state.rawValue]
    }

    /// What a batch enqueue answers.
    public static func enqueued(batch results: [EnqueueResult]) -> [String: Any] {
        let existing = results.filter { !$0.inserted }.count
        return ["enqueued": results.count - existing, "existing": existing, "ids": results.map(\.id)]
    }

    /// What a retry of every failed job answers.
    public static func object(_ report: RetryReport) -> [String: Any] {
        [
            "retried": report.retried,
            "refused": report.refused.map { ["id": $0.id, "kind": $0.kind, "reason": $0.reason] as [String: Any] },
        ]
    }
}
