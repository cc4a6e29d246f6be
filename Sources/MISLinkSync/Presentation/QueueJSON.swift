import Foundation
import MISLinkQueue
import MISLinkRunner

/// Queues and workers as JSON: one shape for `mislink queue list --json`, `mislink workers --json`
/// and the console's `/api/queues` and `/api/workers`.
public enum QueueJSON {
    /// The states a queue's depth is shown in, in the order a job moves through them.
    public static let depthStates: [JobState] = [.scheduled, .available, .running, .retryable, .failed]

    public static func object(_ queue: QueueSummary, now: Int64) -> [String: Any] {
        [
            "name": queue.name, "paused": queue.isPaused, "pausedAt": JobJSON.time(queue.pausedAt),
            "depth": Dictionary(uniqueKeysWithValues: depthStates.map { ($0.rawValue, queue.count($0)) }),
            "oldestAvailableAgeMs": queue.oldestAvailableRunAt.map { max(0, now - $0) as Any } ?? NSNull(),
        ]
    }

    /// A worker whose last heartbeat is older than its lease is "silent": its jobs are rescued once
    /// their leases run out.
    public static func status(_ worker: WorkerRecord, now: Int64) -> String {
        now - worker.heartbeatAt > worker.leaseMilliseconds ? "silent" : "alive"
    }

    /// `held`: the jobs it runs, when the caller read them (the console); nil leaves the key out.
    public static func object(_ worker: WorkerRecord, held: [HeldJob]? = nil, now: Int64) -> [String: Any] {
        var object: [String: Any] = [
            "id": worker.id, "host": worker.host, "pid": Int(worker.pid),
            "queues": worker.queues.map { $0 as Any } ?? NSNull(), "concurrency": worker.concurrency,
            "startedAt": JobJSON.time(worker.startedAt), "heartbeatAt": JobJSON.time(worker.heartbeatAt),
            "heartbeatAgeMs": max(0, now - worker.heartbeatAt),
            "leaseMs": worker.leaseMilliseconds, "runningJobs": worker.runningJobs, "status": status(worker, now: now),
        ]
        if let held {
            object["held"] = held.map { job in
                [
                    "id": job.id, "kind": job.kind, "queue": job.queue,
                    "integration": job.integration.map { $0 as Any } ?? NSNull(), "attempt": job.attempt,
                    "startedAt": JobJSON.time(job.startedAt), "leaseExpiresAt": JobJSON.time(job.leaseExpiresAt),
                    "cancelRequested": job.cancelRequested,
                ] as [String: Any]
            }
        }
        return object
    }
}
