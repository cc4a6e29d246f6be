import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// Enqueues jobs in one transaction (or the caller's `inTransaction {}`); answers each job's result in order (a unique key's
    /// holder for a duplicate, including a duplicate of an earlier job in the same batch).
    public func enqueue(jobs: [NewJob]) throws -> [EnqueueResult] {
        guard !jobs.isEmpty else { return [] }
        for job in jobs { try job.check(maxPayloadBytes: maxPayloadBytes) }
        return try writing {
            let results = try jobs.map { try Self.insert($0, on: connection) }
            // One wake-up per queue that got available work, however many jobs: a NOTIFY per row would
            // serialise heavy enqueues on the server's notification lock.
            var woken: Set<String> = []
            var tally = JobTally()
            for (job, result) in zip(jobs, results) where result.inserted {
                tally.add(JobMetrics.enqueued, kind: job.kind, queue: job.queue)
                if result.state == .available { woken.insert(job.queue) }
            }
            try record(tally)
            for queue in woken.sorted() { try connection.notify(PostgresQueueSchema.channel, payload: queue) }
            return results
        }
    }

    /// The insert. A pending or running job holding the same unique key wins: the no-op update makes
    /// ON CONFLICT return that row, and `xmax <> 0` tells it from a new one.
    static func insert(_ job: NewJob, on connection: PostgresConnection) throws -> EnqueueResult {
        let row = try connection.execute(
            """
            INSERT INTO jobs (kind, queue, integration, payload, priority, state, max_attempts, run_at, unique_key,
                created_at, concurrency_key, concurrency_limit)
            SELECT $1, $2, $3, $4, $5, CASE WHEN t.run_at > t.now THEN 'scheduled' ELSE 'available' END, $6, t.run_at, $8,
                t.now, $9, $10
            FROM (SELECT coalesce($7::bigint, mislink_now_ms()) AS run_at, mislink_now_ms() AS now) t
            ON CONFLICT (unique_key)
                WHERE unique_key IS NOT NULL AND state IN ('scheduled', 'available', 'running', 'retryable')
                DO UPDATE SET unique_key = jobs.unique_key
            RETURNING id, state, xmax <> 0 AS existed
            """,
            [
                job.kind, job.queue, job.integration, job.payload, job.priority, job.maxAttempts, job.runAt, job.uniqueKey,
                job.concurrencyKey, job.concurrencyLimit,
            ]
        ).rows[0]
        return EnqueueResult.backend(
            id: try row.int64("id"), inserted: !(try row.bool("existed")),
            state: JobState(rawValue: try row.string("state")) ?? .available)
    }

    /// Enqueues inside the caller's open transaction on `connection` (a completion's bookkeeping):
    /// the job and its wake-up take effect when that transaction commits.
    static func enqueue(_ job: NewJob, inTransactionOn connection: PostgresConnection) throws -> EnqueueResult {
        let result = try insert(job, on: connection)
        guard result.inserted else { return result }
        var tally = JobTally()
        tally.add(JobMetrics.enqueued, kind: job.kind, queue: job.queue)
        // No store here: the counter goes to the shard of the connection's session.
        try record(tally, on: connection)
        if result.state == .available { try connection.notify(PostgresQueueSchema.channel, payload: job.queue) }
        return result
    }
}
