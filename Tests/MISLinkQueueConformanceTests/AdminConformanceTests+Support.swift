import Foundation
import MISLinkQueue
import Testing

/// Jobs in known states for the admin conformance tests, made through the queue's own paths. Jobs
/// made to be claimed get priority 100, so that the claim takes them ahead of any job already waiting.
extension QueueAdminBackend {
    func availableJob(kind: String = "k", queue: String = "q", integration: String? = nil, payload: String = "{}",
        priority: Int = 0, runAt: Int64? = nil, uniqueKey: String? = nil) throws -> Int64 {
        try enqueue(job: NewJob(
            kind: kind, queue: queue, integration: integration, payload: payload, priority: priority, runAt: runAt,
            uniqueKey: uniqueKey)).id
    }

    func scheduledJob(kind: String = "k", queue: String = "q") throws -> Int64 {
        try enqueue(job: NewJob(kind: kind, queue: queue, runAt: try backendNow(self) + 3_600_000)).id
    }

    /// Claimed by `worker`, and left running.
    func runningJob(kind: String = "k", queue: String = "q", worker: String = "maker", uniqueKey: String? = nil) throws -> Int64 {
        let id = try enqueue(job: NewJob(kind: kind, queue: queue, priority: 100, maxAttempts: 3, uniqueKey: uniqueKey)).id
        #expect(try claim(worker, limit: 1, queues: [queue]).map(\.id) == [id], "the maker claims the job it made")
        return id
    }

    /// Failed once per message (the last one its `last_error`), with no attempts left.
    func failedJob(kind: String = "k", queue: String = "q", integration: String? = nil, payload: String = "{}",
        messages: [String] = ["boom"], uniqueKey: String? = nil) throws -> Int64 {
        let id = try enqueue(job: NewJob(
            kind: kind, queue: queue, integration: integration, payload: payload, priority: 100, maxAttempts: messages.count,
            uniqueKey: uniqueKey)).id
        for message in messages {
            #expect(try claim("maker", limit: 1, queues: [queue]).map(\.id) == [id], "the maker claims the job it made")
            // Due at once (a second ago), so the next claim takes it again.
            try complete("maker", [Completion(jobID: id, outcome: .failed(message: message, retryAt: try backendNow(self) - 1_000))])
        }
        #expect(try state(id) == .failed)
        return id
    }

    func succeededJob(kind: String = "k", queue: String = "q", integration: String? = nil, payload: String = "{}") throws -> Int64 {
        let id = try enqueue(job: NewJob(kind: kind, queue: queue, integration: integration, payload: payload, priority: 100)).id
        #expect(try claim("maker", limit: 1, queues: [queue]).map(\.id) == [id], "the maker claims the job it made")
        try complete("maker", [Completion(jobID: id, outcome: .succeeded(result: nil))])
        return id
    }

    /// Failed once, to be tried again in an hour.
    func retryableJob(kind: String = "k", queue: String = "q") throws -> Int64 {
        let id = try enqueue(job: NewJob(kind: kind, queue: queue, priority: 100, maxAttempts: 3)).id
        #expect(try claim("maker", limit: 1, queues: [queue]).map(\.id) == [id], "the maker claims the job it made")
        try complete("maker", [Completion(jobID: id, outcome: .failed(message: "later", retryAt: try backendNow(self) + 3_600_000))])
        #expect(try state(id) == .retryable)
        return id
    }

    func cancelledJob(kind: String = "k", queue: String = "q", uniqueKey: String? = nil) throws -> Int64 {
        let id = try enqueue(job: NewJob(kind: kind, queue: queue, runAt: try backendNow(self) + 3_600_000, uniqueKey: uniqueKey)).id
        #expect(try cancelJob(id: id) == .cancelled)
        return id
    }
}

extension QueueFixture {
    /// Moves a job's finish time `milliseconds` into the past, as if it had finished long ago.
    func age(_ id: Int64, by milliseconds: Int64) throws {
        _ = try scalar("UPDATE jobs SET finished_at = finished_at - \(milliseconds) WHERE id = \(id)")
    }

    /// How many error-history rows these jobs have.
    func errorRows(_ ids: [Int64]) throws -> Int64 {
        try scalar("SELECT count(*) FROM job_errors WHERE job_id IN (\(ids.map(String.init).joined(separator: ",")))") ?? 0
    }

    /// Waits until another session waits for a row lock (PostgreSQL); on SQLite, whose waits cannot be
    /// seen from outside, gives the other thread a moment to reach its lock instead (if it has not,
    /// the test still passes for the right reason, only without exercising the interleaving).
    func awaitLockWaiter() throws {
        switch backend {
        case .postgres:
            try eventually("another session waits for a lock") {
                try scalar(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") ?? 0 > 0
            }
        case .sqlite:
            usleep(300_000)
        }
    }
}

/// Runs `body` on a thread of its own (blocking calls must not hold the cooperative pool); `wait()`
/// answers what it returned, or rethrows, after it finishes (120 s at most: the machine is shared).
final class Background<Value: Sendable>: @unchecked Sendable {
    // `outcome` is written once by the thread before `done` is signalled, and read only after it.
    private var outcome: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread {
            self.outcome = Result { try body() }
            self.done.signal()
        }
    }

    func wait() throws -> Value {
        guard done.wait(timeout: .now() + 120) == .success, let outcome else {
            throw QueueError(.invalidState, "the background thread did not finish within 120 s")
        }
        return try outcome.get()
    }
}
