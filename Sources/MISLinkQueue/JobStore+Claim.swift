import SQLiteDB

extension JobStore {
    /// Reports finished runs and claims new jobs, in one transaction.
    ///
    /// Batching both into one commit is what makes the queue fast: a worker loop calls this once per
    /// turn with everything that finished since the last turn and the number of free slots it has.
    /// Completions are applied only while this worker still holds the job's lease, so a run that
    /// outlived its lease (and was rescued) cannot overwrite the newer run's state.
    public func exchange(
        completions: [Completion],
        workerID: String,
        claim limit: Int,
        queues: [String]? = nil,
        excludingQueues excluded: Set<String> = [],
        leaseMilliseconds: Int64,
        now: Int64 = JobStore.now()
    ) throws -> Exchange {
        if completions.isEmpty && limit <= 0 { return Exchange(claimed: [], nextDueAt: try nextWaitingRunAt(), drained: nil) }
        return try connection.transaction {
            // Plain successes, the common case, settle in one statement; the rest one by one.
            var succeeded: [Int64] = []
            for completion in completions {
                if case .succeeded(result: nil) = completion.outcome, completion.effect == nil {
                    succeeded.append(completion.jobID)
                } else if let effect = completion.effect {
                    try apply(completion, effect: effect, workerID: workerID, now: now)
                } else {
                    _ = try apply(completion, workerID: workerID, now: now)
                }
            }
            if !succeeded.isEmpty { try markSucceeded(succeeded, workerID: workerID, now: now) }
            var claimed: [ClaimedJob] = []
            if limit > 0 {
                try stageDueJobs(now: now)
                claimed = try claimAvailable(
                    workerID: workerID, limit: limit, queues: queues, excluding: excluded,
                    leaseUntil: now + leaseMilliseconds, now: now)
            }
            // Read after this exchange's own writes: a retry or snooze it just recorded is included,
            // which another connection's data_version would never tell this worker about. A claim that
            // filled its limit skips it: the worker asks again at once, and the hot path stays short.
            let drained = limit > 0 ? claimed.count < limit : nil
            return Exchange(claimed: claimed, nextDueAt: drained == false ? nil : try nextWaitingRunAt(), drained: drained)
        }
    }

    /// Claims up to `limit` jobs; shorthand for `exchange` without completions.
    public func claim(
        workerID: String, limit: Int, queues: [String]? = nil, leaseMilliseconds: Int64, now: Int64 = JobStore.now()
    ) throws -> [ClaimedJob] {
        try exchange(
            completions: [], workerID: workerID, claim: limit, queues: queues, leaseMilliseconds: leaseMilliseconds,
            now: now
        ).claimed
    }

    /// Reports finished runs; shorthand for `exchange` without a claim.
    public func complete(_ completions: [Completion], workerID: String, now: Int64 = JobStore.now()) throws {
        _ = try exchange(completions: completions, workerID: workerID, claim: 0, leaseMilliseconds: 0, now: now)
    }

    // The claim path names its indexes: without ANALYZE statistics SQLite may pick the (state, kind)
    // index and sort every available row, which makes each claim as slow as the queue is long.

    /// Moves scheduled and retryable jobs whose time has come to `available`.
    func stageDueJobs(now: Int64) throws {
        try connection.run(
            "UPDATE jobs INDEXED BY jobs_waiting SET state = 'available' WHERE state IN ('scheduled', 'retryable') AND run_at <= ?", [now])
    }

    /// The earliest run-at among scheduled and retryable jobs: when a sleeping worker must next look.
    public func nextWaitingRunAt() throws -> Int64? {
        try connection.scalarInt("SELECT min(run_at) FROM jobs INDEXED BY jobs_waiting WHERE state IN ('scheduled', 'retryable')")
    }

    /// `excluded` queues are skipped (the worker has as many of their jobs as it allows itself).
    ///
    /// A job with a concurrency key is a candidate only while fewer than its limit of jobs with that key
    /// run, and one claim takes no more of a key than the room left: two imports of one integration
    /// never run at once, whichever workers and processes claim them. Jobs without a key pay nothing
    /// but one `IS NULL` test.
    private func claimAvailable(
        workerID: String, limit: Int, queues: [String]?, excluding excluded: Set<String>, leaseUntil: Int64, now: Int64
    ) throws -> [ClaimedJob] {
        let head: String
        var arguments: [any SQLBindable] = [workerID, leaseUntil, now]
        var excluded = excluded
        var queues = queues
        // Read in the claim's own transaction: a pause that committed first is always obeyed. The
        // table is empty unless an admin paused something, so the common case pays one empty read.
        let paused = try pausedQueueNames()
        if !paused.isEmpty {
            excluded.formUnion(paused)
            // A paused queue may hold many jobs at the head of the shared index: naming the other
            // queues instead means a claim never walks past the paused queue's jobs.
            if queues == nil { queues = try availableQueueNames() }
        }
        queues = queues.map { $0.filter { !excluded.contains($0) } }
        if queues?.isEmpty == true { return [] }
        let keyHasRoom = """
            (concurrency_key IS NULL OR concurrency_limit > (SELECT count(*) FROM jobs AS r INDEXED BY jobs_running_by_key \
            WHERE r.state = 'running' AND r.concurrency_key = jobs.concurrency_key))
            """
        let columns = "id, priority, run_at, concurrency_key, concurrency_limit"
        if let queues, !queues.isEmpty {
            // One index range per queue, merged: a single `queue IN (…)` would sort every available row.
            let perQueue = queues.map { _ in
                """
                SELECT * FROM (SELECT \(columns) FROM jobs INDEXED BY jobs_available_by_queue \
                WHERE state = 'available' AND queue = ? AND \(keyHasRoom) \
                ORDER BY priority DESC, run_at, id LIMIT ?)
                """
            }
            head = "SELECT * FROM (\(perQueue.joined(separator: " UNION ALL "))) ORDER BY priority DESC, run_at, id LIMIT ?"
            for queue in queues { arguments += [queue, limit] as [any SQLBindable] }
        } else if excluded.isEmpty {
            head = """
                SELECT \(columns) FROM jobs INDEXED BY jobs_available WHERE state = 'available' AND \(keyHasRoom) \
                ORDER BY priority DESC, run_at, id LIMIT ?
                """
        } else {
            let names = excluded.sorted()
            head = """
                SELECT \(columns) FROM jobs INDEXED BY jobs_available WHERE state = 'available' \
                AND queue NOT IN (\(names.map { _ in "?" }.joined(separator: ","))) AND \(keyHasRoom) \
                ORDER BY priority DESC, run_at, id LIMIT ?
                """
            arguments += names as [any SQLBindable]
        }
        arguments.append(limit)
        // Within one claim, the n-th job of a key is taken only if the key has room for n more.
        let candidates = """
            SELECT id FROM (SELECT id, concurrency_key AS k, concurrency_limit AS l, \
                row_number() OVER (PARTITION BY concurrency_key ORDER BY priority DESC, run_at, id) AS n FROM (\(head))) \
            WHERE k IS NULL OR n <= l - (SELECT count(*) FROM jobs AS r INDEXED BY jobs_running_by_key \
                WHERE r.state = 'running' AND r.concurrency_key = k)
            """
        let sql = """
            UPDATE jobs SET state = 'running', attempt = attempt + 1, lease_owner = ?, lease_expires_at = ?, started_at = ?
            WHERE id IN (\(candidates))
            RETURNING id, kind, queue, integration, payload, priority, attempt, max_attempts, created_at, run_at
            """
        let claimed = try connection.query(sql, arguments) { row in
            ClaimedJob(
                id: row.int64(0), kind: row.string(1), queue: row.string(2), integration: row.optionalString(3),
                payload: row.string(4), priority: row.int(5), attempt: row.int(6), maxAttempts: row.int(7),
                createdAt: row.int64(8), runAt: row.int64(9))
        }
        // RETURNING gives rows in no set order; hand them out highest priority first.
        return claimed.sorted { ($0.priority, -$0.runAt, -$0.id) > ($1.priority, -$1.runAt, -$1.id) }
    }

    /// One statement for the jobs; what it returns feeds the counters, aggregated per kind and queue
    /// into two more, whatever the batch's size.
    private func markSucceeded(_ ids: [Int64], workerID: String, now: Int64) throws {
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        var tally = JobTally()
        _ = try connection.query(
            """
            UPDATE jobs SET state = 'succeeded', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
            WHERE id IN (SELECT value FROM json_each(?)) AND state = 'running' AND lease_owner = ?
            RETURNING kind, queue, started_at, run_at
            """, [now, list, workerID]
        ) { row in
            let kind = row.string(0), queue = row.string(1)
            tally.add(JobMetrics.succeeded, kind: kind, queue: queue)
            tally.observeRun(kind: kind, queue: queue, startedAt: row.optionalInt64(2), runAt: row.int64(3), finishedAt: now)
        }
        try record(tally)
    }

    /// Applies a completion and its effect under a savepoint: a failing effect undoes only its own
    /// writes and turns the run into a retryable failure, leaving the rest of the batch alone.
    private func apply(_ completion: Completion, effect: CommitEffect, workerID: String, now: Int64) throws {
        do {
            try connection.savepoint("completion_effect") {
                let applied = try apply(completion, workerID: workerID, now: now)
                // Bookkeeping belongs to a success the store accepted; a failure gets the hook instead.
                if case .succeeded = completion.outcome, applied == .applied { try effect(connection) }
            }
        } catch {
            let message = "the job's own bookkeeping could not be saved: \(error)"
            _ = try apply(
                Completion(jobID: completion.jobID, outcome: .failed(message: message, retryAt: now + 5_000, cause: .bookkeeping)),
                workerID: workerID, now: now)
        }
    }

    /// Whether a completion changed the job, and so whether its effect should run.
    enum Applied { case applied, notApplied }

    @discardableResult
    private func apply(_ completion: Completion, workerID: String, now: Int64) throws -> Applied {
        let id = completion.jobID
        switch completion.outcome {
        case .succeeded(let result):
            let ended = try connection.queryFirst(
                """
                UPDATE jobs SET state = 'succeeded', finished_at = ?, result = ?, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                RETURNING kind, queue, started_at, run_at
                """, [now, result, id, workerID]
            ) { ($0.string(0), $0.string(1), $0.optionalInt64(2), $0.int64(3)) }
            guard let (kind, queue, startedAt, runAt) = ended else { return .notApplied }
            var tally = JobTally()
            tally.add(JobMetrics.succeeded, kind: kind, queue: queue)
            tally.observeRun(kind: kind, queue: queue, startedAt: startedAt, runAt: runAt, finishedAt: now)
            try record(tally)
            return .applied
        case .handedBack:
            let changed = try connection.run(
                """
                UPDATE jobs SET state = 'available', attempt = attempt - 1, started_at = NULL, lease_owner = NULL,
                    lease_expires_at = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, [id, workerID])
            return changed == 1 ? .applied : .notApplied
        case .snoozed(let until):
            let changed = try connection.run(
                """
                UPDATE jobs SET state = CASE WHEN ? > ? THEN 'scheduled' ELSE 'available' END, run_at = ?,
                    attempt = attempt - 1, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, [until, now, until, id, workerID])
            return changed == 1 ? .applied : .notApplied
        case .cancelled(let message):
            guard let running = try runningJob(id: id, leaseOwner: workerID) else { return .notApplied }
            try finish(id: id, state: .cancelled, attempt: running.attempt, message: message, now: now)
            try recordEnd(of: running, as: JobMetrics.cancelled, now: now)
            return .applied
        case .failed(let message, let retryAt, let cause):
            guard let running = try runningJob(id: id, leaseOwner: workerID) else { return .notApplied }
            try settleFailedAttempt(running, message: message, retryAt: retryAt, cause: cause, now: now)
            return .applied
        }
    }

    struct RunningJob {
        let id: Int64
        let kind: String
        let queue: String
        let startedAt: Int64?
        let runAt: Int64
        let integration: String?
        let attempt: Int
        let maxAttempts: Int
        let cancelRequested: Bool
    }

    func runningJob(id: Int64, leaseOwner: String) throws -> RunningJob? {
        try connection.queryFirst(
            """
            SELECT attempt, max_attempts, cancel_requested, kind, integration, queue, started_at, run_at FROM jobs
            WHERE id = ? AND state = 'running' AND lease_owner = ?
            """,
            [id, leaseOwner]
        ) {
            RunningJob(
                id: id, kind: $0.string(3), queue: $0.string(5), startedAt: $0.optionalInt64(6), runAt: $0.int64(7),
                integration: $0.optionalString(4), attempt: $0.int(0), maxAttempts: $0.int(1),
                cancelRequested: $0.int(2) != 0)
        }
    }

    /// Counts how an attempt ended, with its run time and wait, in the transaction that ended it.
    func recordEnd(of job: RunningJob, as counter: String, now: Int64) throws {
        var tally = JobTally()
        tally.add(counter, kind: job.kind, queue: job.queue)
        tally.observeRun(kind: job.kind, queue: job.queue, startedAt: job.startedAt, runAt: job.runAt, finishedAt: now)
        try record(tally)
    }

    /// A failed attempt: cancelled if an admin asked, failed if permanent or out of attempts, else
    /// retryable. Answers the state it left the job in. A job that ends `failed` gets its kind's
    /// final-failure bookkeeping in the same transaction, whichever path failed it.
    @discardableResult
    func settleFailedAttempt(_ job: RunningJob, message: String, retryAt: Int64?, cause: FailureCause, now: Int64) throws
        -> JobState
    {
        if job.cancelRequested {
            try finish(id: job.id, state: .cancelled, attempt: job.attempt, message: message, now: now)
            try recordEnd(of: job, as: JobMetrics.cancelled, now: now)
            return .cancelled
        } else if let retryAt, job.attempt < job.maxAttempts {
            try recordError(jobID: job.id, attempt: job.attempt, at: now, message: message)
            try connection.run(
                """
                UPDATE jobs SET state = 'retryable', run_at = ?, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ?
                """, [retryAt, job.id])
            try recordEnd(of: job, as: JobMetrics.retried, now: now)
            return .retryable
        } else {
            let final =
                retryAt != nil ? "\(message) (attempt \(job.attempt) of \(job.maxAttempts): no attempts left)" : message
            try finish(id: job.id, state: .failed, attempt: job.attempt, message: final, now: now)
            try recordEnd(of: job, as: JobMetrics.failed, now: now)
            try runFinalFailureHook(
                FinalFailure(
                    jobID: job.id, kind: job.kind, integration: job.integration, attempt: job.attempt,
                    maxAttempts: job.maxAttempts, message: final, cause: cause), now: now)
            return .failed
        }
    }

    /// The hook's bookkeeping under its own savepoint: if it throws, the job still ends failed, and
    /// the hook's error joins the job's history so that an admin sees it.
    private func runFinalFailureHook(_ failure: FinalFailure, now: Int64) throws {
        guard let effect = finalFailureHook?(failure) else { return }
        do {
            try connection.savepoint("final_failure") { try effect(connection) }
        } catch {
            try recordError(
                jobID: failure.jobID, attempt: failure.attempt, at: now,
                message: "the bookkeeping for this failure could not be saved: \(error)")
        }
    }

    private func finish(id: Int64, state: JobState, attempt: Int, message: String, now: Int64) throws {
        try recordError(jobID: id, attempt: attempt, at: now, message: message)
        try connection.run(
            """
            UPDATE jobs SET state = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?
            """, [state.rawValue, now, id])
    }
}

extension JobStore {
    /// Whether any job is available now or waiting to be retried, in the given queues (nil: all) that
    /// are not paused. Jobs scheduled for later are not counted: a draining worker does not wait for them.
    public func hasRunnableWork(queues: [String]? = nil) throws -> Bool {
        // A paused queue's jobs are not runnable: a draining worker must not wait for its resume.
        var sql = """
            SELECT EXISTS(SELECT 1 FROM jobs WHERE state IN ('available', 'retryable') \
            AND queue NOT IN (SELECT queue FROM queue_pauses)
            """
        var arguments: [any SQLBindable] = []
        if let queues, !queues.isEmpty {
            sql += " AND queue IN (\(queues.map { _ in "?" }.joined(separator: ",")))"
            arguments = queues
        }
        return try connection.scalarInt(sql + ")", arguments) == 1
    }
}
