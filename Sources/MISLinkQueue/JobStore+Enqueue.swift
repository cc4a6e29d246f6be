import SQLiteDB

extension JobStore {
    /// Enqueues one job in its own transaction.
    @discardableResult
    public func enqueue(_ job: NewJob, now: Int64 = JobStore.now()) throws -> EnqueueResult {
        try connection.transaction { try insert(job, now: now) }
    }

    /// Enqueues many jobs, committing every `commitEvery` jobs (default: all in one transaction).
    /// A failure rolls back only the chunk it happened in; earlier chunks stay committed.
    public func enqueue(batch jobs: [NewJob], commitEvery: Int? = nil, now: Int64 = JobStore.now()) throws
        -> [EnqueueResult]
    {
        let chunkSize = max(1, commitEvery ?? jobs.count)
        var results: [EnqueueResult] = []
        results.reserveCapacity(jobs.count)
        var start = 0
        while start < jobs.count {
            let chunk = jobs[start..<min(start + chunkSize, jobs.count)]
            let chunkResults = try connection.transaction {
                // The counters of a chunk are written at its end, aggregated per kind and queue.
                var tally = JobTally()
                let results = try chunk.map { job in try insertRow(job, now: now, tally: &tally) }
                try record(tally)
                return results
            }
            results += chunkResults
            start += chunkSize
        }
        return results
    }

    static let insertSQL = """
        INSERT INTO jobs(kind, queue, integration, payload, priority, state, max_attempts, run_at, unique_key, created_at,
            concurrency_key, concurrency_limit)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Enqueues inside a transaction that is already open on `connection` (a job's bookkeeping that
    /// enqueues follow-up jobs: an import's leavers). The queue schema must exist on that file.
    package static func enqueue(_ job: NewJob, on connection: Connection, now: Int64) throws -> EnqueueResult {
        try JobStore(existing: connection).insert(job, now: now)
    }

    /// Refuses what the queue cannot take: a payload over the size limit, a concurrency limit below 1.
    public func check(_ job: NewJob) throws {
        try job.check(maxPayloadBytes: maxPayloadBytes)
    }

    /// Inserts inside the caller's transaction, counting it. A pending job holding the same unique key wins.
    func insert(_ job: NewJob, now: Int64) throws -> EnqueueResult {
        var tally = JobTally()
        let result = try insertRow(job, now: now, tally: &tally)
        try record(tally)
        return result
    }

    /// The insert, counted in `tally` for the caller to record (a unique-key duplicate is not counted).
    private func insertRow(_ job: NewJob, now: Int64, tally: inout JobTally) throws -> EnqueueResult {
        try check(job)
        let runAt = job.runAt ?? now
        let state: JobState = runAt > now ? .scheduled : .available
        if let key = job.uniqueKey,
            let existing = try connection.queryFirst(
                """
                SELECT id, state FROM jobs INDEXED BY jobs_unique_pending WHERE unique_key = ?
                AND state IN ('scheduled', 'available', 'running', 'retryable')
                """, [key], { ($0.int64(0), JobState(rawValue: $0.string(1)) ?? .available) })
        {
            return EnqueueResult(id: existing.0, inserted: false, state: existing.1)
        }
        // Bound one by one rather than through an argument array: this is the batch-enqueue hot path.
        try connection.withStatement(Self.insertSQL) { statement in
            try statement.bind(.text(job.kind), at: 1)
            try statement.bind(.text(job.queue), at: 2)
            try statement.bind(job.integration.map(SQLValue.text) ?? .null, at: 3)
            try statement.bind(.text(job.payload), at: 4)
            try statement.bind(.integer(Int64(job.priority)), at: 5)
            try statement.bind(.text(state.rawValue), at: 6)
            try statement.bind(.integer(Int64(job.maxAttempts)), at: 7)
            try statement.bind(.integer(runAt), at: 8)
            try statement.bind(job.uniqueKey.map(SQLValue.text) ?? .null, at: 9)
            try statement.bind(.integer(now), at: 10)
            try statement.bind(job.concurrencyKey.map(SQLValue.text) ?? .null, at: 11)
            try statement.bind(.integer(Int64(job.concurrencyLimit)), at: 12)
            while try statement.step() {}
        }
        tally.add(JobMetrics.enqueued, kind: job.kind, queue: job.queue)
        tally.move(kind: job.kind, queue: job.queue, from: nil, to: state)
        return EnqueueResult(id: connection.lastInsertRowID, inserted: true, state: state)
    }
}
