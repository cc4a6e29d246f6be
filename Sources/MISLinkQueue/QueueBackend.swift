/// The narrow part of the queue a worker needs, the same on every back end: SQLite's `JobStore` and
/// PostgreSQL's `PostgresJobStore` (MISLinkQueuePostgres). The conformance suite
/// (Tests/MISLinkQueueConformanceTests) runs each of its tests against both.
///
/// Callers pass no clock: each back end reads its own (the process's for SQLite, whose file is on
/// one machine; the database server's for PostgreSQL, so workers on many hosts agree). Names differ
/// from `JobStore`'s own methods, which take an injectable `now`, so that neither is ambiguous.
public protocol QueueBackend: AnyObject {
    /// Enqueues `jobs` in one transaction, or in the caller's `inTransaction {}`; answers each job's
    /// result in order. A pending or running job holding a job's unique key is returned instead.
    func enqueue(jobs: [NewJob]) throws -> [EnqueueResult]

    /// Bookkeeping for a job that ends `failed` by any path (its last failure, a timeout, a rescue
    /// of an abandoned run, a failed bookkeeping effect), run in that failure's transaction.
    var finalFailureHook: FinalFailureHook? { get set }

    /// Reports finished runs (applied only while `workerID` still holds each job's lease), promotes
    /// due scheduled and retryable jobs, and claims up to `limit` available ones under a lease: one
    /// transaction.
    func exchange(_ request: ExchangeRequest) throws -> Exchange

    /// Extends the leases of every job `workerID` runs; answers those an admin asked to cancel.
    func renewLeases(workerID: String, leaseMilliseconds: Int64) throws -> JobStore.Heartbeat

    /// Pauses a queue: no claim takes its jobs until it is resumed. Answers false if it was paused
    /// already. (Admin, not worker, work: here so that every back end's claims are checked to obey it.)
    func pauseQueue(_ queue: String) throws -> Bool

    /// Resumes a paused queue. Answers false if it was not paused.
    func resumeQueue(_ queue: String) throws -> Bool

    /// Cancels a job that has not finished: at once if it waits, by its worker (told at its next
    /// lease renewal) if it runs. Throws `.notFound` or `.invalidState` for a finished job.
    func cancelJob(id: Int64) throws -> CancelResult

    /// Rescues running jobs whose lease expired: retried at once while attempts remain, failed after
    /// the last. Answers how many.
    func rescueExpired() throws -> Int

    /// A job with its error history, or nil.
    func job(id: Int64) throws -> Job?

    /// One page of jobs matching `filter`, newest first, with the next page's `before`.
    func jobPage(matching filter: JobFilter) throws -> JobPage

    /// Whether a job is available or waiting to be retried in `queues` (nil: all) that are not
    /// paused: what a draining worker waits for (jobs scheduled for later do not count).
    func hasRunnableWork(queues: [String]?) throws -> Bool

    /// Records a running job's progress (free JSON text) while `workerID` still holds it.
    func setProgress(id: Int64, workerID: String, progress: String) throws

    // The worker registry: each process registers, so admins see it and peers on its host can
    // rescue its jobs at once when its pid is gone (lease expiry rescues them anyway, later).

    func registerWorker(_ worker: WorkerRecord) throws
    func deregisterWorker(id: String) throws
    /// Registered workers, each with the number of jobs it holds.
    func workers() throws -> [WorkerRecord]
    /// Rescues every job `worker` holds and forgets it: the caller knows its process is gone.
    func rescueJobs(heldBy worker: WorkerRecord, reason: String) throws -> Int
    /// Forgets workers that have not renewed their leases for `milliseconds` and hold no job.
    func forgetWorkers(silentFor milliseconds: Int64) throws

    /// Runs `body` in one transaction: jobs it enqueues become visible (and wake workers) only when it
    /// commits, and vanish if it throws.
    func inTransaction<T>(_ body: () throws -> T) throws -> T
}

extension QueueBackend {
    /// Enqueues one job: `enqueue(jobs:)` with one.
    @discardableResult
    public func enqueue(job: NewJob) throws -> EnqueueResult {
        try enqueue(jobs: [job])[0]
    }
}

extension NewJob {
    /// Refuses what no back end takes: a payload over `maxPayloadBytes`, a concurrency limit below 1.
    package func check(maxPayloadBytes: Int) throws {
        let bytes = payload.utf8.count
        if bytes > maxPayloadBytes {
            throw QueueError(
                .invalidInput,
                "\(kind) payload is \(bytes) bytes (\(ByteCount.text(bytes))), over the limit of \(maxPayloadBytes) bytes (\(ByteCount.text(maxPayloadBytes))); MISLINK_MAX_PAYLOAD_BYTES raises it, but large data belongs in a file the job names")
        }
        if concurrencyLimit < 1 { throw QueueError(.invalidInput, "\(kind): concurrency limit must be 1 or more") }
    }
}

// Other back ends live in other modules (MISLinkQueuePostgres), where these types' memberwise
// initialisers are out of reach: package-wide factories, one per type, forwarding to them.

extension EnqueueResult {
    package static func backend(id: Int64, inserted: Bool, state: JobState) -> EnqueueResult {
        EnqueueResult(id: id, inserted: inserted, state: state)
    }
}

extension JobStore.Heartbeat {
    package static func backend(cancelRequested: [Int64]) -> JobStore.Heartbeat {
        JobStore.Heartbeat(cancelRequested: cancelRequested)
    }
}

extension ClaimedJob {
    package static func backend(
        id: Int64, kind: String, queue: String, integration: String?, payload: String, priority: Int, attempt: Int,
        maxAttempts: Int, createdAt: Int64, runAt: Int64
    ) -> ClaimedJob {
        ClaimedJob(
            id: id, kind: kind, queue: queue, integration: integration, payload: payload, priority: priority, attempt: attempt,
            maxAttempts: maxAttempts, createdAt: createdAt, runAt: runAt)
    }
}

extension Job {
    /// A job as a back end stored it, before its error history is read.
    package static func backend(
        id: Int64, kind: String, queue: String, state: JobState, integration: String?, priority: Int, attempt: Int,
        maxAttempts: Int, runAt: Int64, createdAt: Int64, startedAt: Int64?, finishedAt: Int64?, uniqueKey: String?,
        payload: String, lastError: String?, result: String?, progress: String?, leaseOwner: String?,
        leaseExpiresAt: Int64?, cancelRequested: Bool
    ) -> Job {
        Job(
            id: id, kind: kind, queue: queue, state: state, integration: integration, priority: priority, attempt: attempt,
            maxAttempts: maxAttempts, runAt: runAt, createdAt: createdAt, startedAt: startedAt, finishedAt: finishedAt,
            uniqueKey: uniqueKey, payload: payload, lastError: lastError, errors: [], result: result, progress: progress,
            leaseOwner: leaseOwner, leaseExpiresAt: leaseExpiresAt, cancelRequested: cancelRequested)
    }
}

extension JobMetrics.StateCount {
    package static func backend(state: JobState, kind: String, queue: String, count: Int) -> JobMetrics.StateCount {
        JobMetrics.StateCount(state: state, kind: kind, queue: queue, count: count)
    }
}

extension QueueStats {
    package static func backend(rows: [Row], oldestAvailableRunAt: Int64?) -> QueueStats {
        QueueStats(rows: rows, oldestAvailableRunAt: oldestAvailableRunAt)
    }
}

extension HeldJob {
    package static func backend(
        id: Int64, kind: String, queue: String, integration: String?, workerID: String, attempt: Int, startedAt: Int64?,
        leaseExpiresAt: Int64?, cancelRequested: Bool
    ) -> HeldJob {
        HeldJob(
            id: id, kind: kind, queue: queue, integration: integration, workerID: workerID, attempt: attempt,
            startedAt: startedAt, leaseExpiresAt: leaseExpiresAt, cancelRequested: cancelRequested)
    }
}
