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
            // One tally for the whole exchange, written once at its end: the counters and state
            // counts of a turn cost one statement, however many jobs it moved.
            var tally = JobTally()
            // Plain successes, the common case, settle in one statement; the rest one by one.
            var succeeded: [Int64] = []
            for completion in completions {
                if case .succeeded(result: nil) = completion.outcome, completion.effect == nil {
                    succeeded.append(completion.jobID)
                } else if let effect = completion.effect {
                    try apply(completion, effect: effect, workerID: workerID, now: now, tally: &tally)
                } else {
                    _ = try apply(completion, workerID: workerID, now: now, tally: &tally)
                }
            }
            if !succeeded.isEmpty { try markSucceeded(succeeded, workerID: workerID, now: now, tally: &tally) }
            var claimed: [ClaimedJob] = []
            if limit > 0 {
                try stageDueJobs(now: now, tally: &tally)
                claimed = try claimAvailable(
                    workerID: workerID, limit: limit, queues: queues, excluding: excluded,
                    leaseUntil: now + leaseMilliseconds, now: now, tally: &tally)
            }
            try record(tally)
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

    /// Moves scheduled and retryable jobs whose time has come to `available`. Read first, then
    /// moved: RETURNING shows only the new state, and the counts need the old one. Nearly always
    /// nothing is due, and then this is the one index seek the update alone would have cost.
    func stageDueJobs(now: Int64, tally: inout JobTally) throws {
        var due: [Int64] = []
        _ = try connection.query(
            """
            SELECT id, kind, queue, state FROM jobs INDEXED BY jobs_waiting
            WHERE state IN ('scheduled', 'retryable') AND run_at <= ?
            """, [now]
        ) { row in
            due.append(row.int64(0))
            tally.move(kind: row.string(1), queue: row.string(2), from: JobState(rawValue: row.string(3)), to: .available)
        }
        guard !due.isEmpty else { return }
        try connection.run(
            "UPDATE jobs SET state = 'available' WHERE id IN (SELECT value FROM json_each(?))", [Self.idList(due)])
    }

    /// Ids as a JSON array, for `json_each`: one bound value for any number of jobs.
    static func idList(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }

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
        workerID: String, limit: Int, queues: [String]?, excluding excluded: Set<String>, leaseUntil: Int64, now: Int64,
        tally: inout JobTally
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
            tally.move(kind: row.string(1), queue: row.string(2), from: .available, to: .running)
            return ClaimedJob(
                id: row.int64(0), kind: row.string(1), queue: row.string(2), integration: row.optionalString(3),
                payload: row.string(4), priority: row.int(5), attempt: row.int(6), maxAttempts: row.int(7),
                createdAt: row.int64(8), runAt: row.int64(9))
        }
        // RETURNING gives rows in no set order; hand them out highest priority first.
        return claimed.sorted { ($0.priority, -$0.runAt, -$0.id) > ($1.priority, -$1.runAt, -$1.id) }
    }

    /// One statement for the jobs; what it returns feeds the tally, aggregated per kind and queue,
    /// whatever the batch's size.
    private func markSucceeded(_ ids: [Int64], workerID: String, now: Int64, tally: inout JobTally) throws {
        let list = Self.idList(ids)
        _ = try connection.query(
            """
            UPDATE jobs SET state = 'succeeded', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
            WHERE id IN (SELECT value FROM json_each(?)) AND state = 'running' AND lease_owner = ?
            RETURNING kind, queue, started_at, run_at
            """, [now, list, workerID]
        ) { row in
            tally.recordEnd(
                kind: row.string(0), queue: row.string(1), as: .succeeded, startedAt: row.optionalInt64(2), runAt: row.int64(3),
                now: now)
        }
    }

    /// Applies a completion and its effect under a savepoint: a failing effect undoes only its own
    /// writes and turns the run into a retryable failure, leaving the rest of the batch alone.
    private func apply(_ completion: Completion, effect: CommitEffect, workerID: String, now: Int64, tally: inout JobTally)
        throws
    {
        // The savepoint's changes join the tally only if it is released: a rolled-back success is
        // not counted.
        var attempt = tally
        do {
            try connection.savepoint("completion_effect") {
                let applied = try apply(completion, workerID: workerID, now: now, tally: &attempt)
                // Bookkeeping belongs to a success the store accepted; a failure gets the hook instead.
                if case .succeeded = completion.outcome, applied == .applied { try effect(connection) }
            }
            tally = attempt
        } catch {
            let message = "the job's own bookkeeping could not be saved: \(error)"
            _ = try apply(
                Completion(jobID: completion.jobID, outcome: .failed(message: message, retryAt: now + 5_000, cause: .bookkeeping)),
                workerID: workerID, now: now, tally: &tally)
        }
    }

    /// Whether a completion changed the job, and so whether its effect should run.
    enum Applied { case applied, notApplied }

    @discardableResult
    private func apply(_ completion: Completion, workerID: String, now: Int64, tally: inout JobTally) throws -> Applied {
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
            tally.recordEnd(kind: kind, queue: queue, as: .succeeded, startedAt: startedAt, runAt: runAt, now: now)
            return .applied
        case .handedBack:
            return try putBack(
                id: id, workerID: workerID, tally: &tally,
                """
                UPDATE jobs SET state = 'available', attempt = attempt - 1, started_at = NULL, lease_owner = NULL,
                    lease_expires_at = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                RETURNING kind, queue, state
                """)
        case .snoozed(let until):
            return try putBack(
                id: id, workerID: workerID, tally: &tally,
                """
                UPDATE jobs SET state = CASE WHEN ?3 > ?4 THEN 'scheduled' ELSE 'available' END, run_at = ?3,
                    attempt = attempt - 1, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ?1 AND state = 'running' AND lease_owner = ?2
                RETURNING kind, queue, state
                """, [until, now])
        case .cancelled(let message):
            guard let running = try runningJob(id: id, leaseOwner: workerID) else { return .notApplied }
            try finish(running, as: .cancelled, message: message, now: now, tally: &tally)
            return .applied
        case .failed(let message, let retryAt, let cause):
            guard let running = try runningJob(id: id, leaseOwner: workerID) else { return .notApplied }
            try settleFailedAttempt(running, message: message, retryAt: retryAt, cause: cause, now: now, tally: &tally)
            return .applied
        }
    }

    /// A running job sent back to wait without spending an attempt (handed back, snoozed): `sql`
    /// takes the id and worker as ?1 and ?2, then `more`, and returns the job's kind, queue and new state.
    private func putBack(id: Int64, workerID: String, tally: inout JobTally, _ sql: String, _ more: [any SQLBindable] = [])
        throws -> Applied
    {
        let moved = try connection.queryFirst(sql, [id, workerID] + more) { ($0.string(0), $0.string(1), JobState(rawValue: $0.string(2))) }
        guard let (kind, queue, state) = moved else { return .notApplied }
        tally.move(kind: kind, queue: queue, from: .running, to: state)
        return .applied
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

    /// A failed attempt: cancelled if an admin asked, failed if permanent or out of attempts, else
    /// retryable. Answers the state it left the job in. A job that ends `failed` gets its kind's
    /// final-failure bookkeeping in the same transaction, whichever path failed it.
    @discardableResult
    func settleFailedAttempt(
        _ job: RunningJob, message: String, retryAt: Int64?, cause: FailureCause, now: Int64, tally: inout JobTally
    ) throws -> JobState {
        if job.cancelRequested {
            try finish(job, as: .cancelled, message: message, now: now, tally: &tally)
            return .cancelled
        } else if let retryAt, job.attempt < job.maxAttempts {
            try recordError(jobID: job.id, attempt: job.attempt, at: now, message: message)
            try connection.run(
                """
                UPDATE jobs SET state = 'retryable', run_at = ?, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ?
                """, [retryAt, job.id])
            tally.recordEnd(job, as: .retryable, now: now)
            return .retryable
        } else {
            let final =
                retryAt != nil ? "\(message) (attempt \(job.attempt) of \(job.maxAttempts): no attempts left)" : message
            try finish(job, as: .failed, message: final, now: now, tally: &tally)
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

    /// Ends a running job's attempt for good (failed, cancelled), with its message in the history.
    private func finish(_ job: RunningJob, as state: JobState, message: String, now: Int64, tally: inout JobTally) throws {
        try recordError(jobID: job.id, attempt: job.attempt, at: now, message: message)
        try connection.run(
            """
            UPDATE jobs SET state = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?
            """, [state.rawValue, now, job.id])
        tally.recordEnd(job, as: state, now: now)
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
