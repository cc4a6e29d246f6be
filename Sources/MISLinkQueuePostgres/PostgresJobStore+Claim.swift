import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// Reports finished runs and claims new jobs, in one transaction: as `JobStore.exchange`.
    ///
    /// Completions apply only while this worker still holds the job's lease (`state = 'running' AND
    /// lease_owner = $worker`), so a run that outlived its lease cannot overwrite the newer run's state.
    /// A completion's bookkeeping effect runs in this transaction, on this connection, under a
    /// savepoint: if it throws, only its writes are undone and the run becomes a retryable failure.
    public func exchange(_ request: ExchangeRequest) throws -> Exchange {
        let (completions, workerID, limit) = (request.completions, request.workerID, request.limit)
        if completions.isEmpty && limit <= 0 { return Exchange(claimed: [], nextDueAt: try nextWaitingRunAt(), drained: nil) }
        return try writing {
            // One tally for the exchange, written by one statement at its end (on this store's shard).
            var tally = JobTally()
            var succeeded: [Int64] = []
            var handedBack: [Int64] = []
            for completion in completions {
                if case .succeeded(result: nil) = completion.outcome, completion.effect == nil {
                    succeeded.append(completion.jobID)
                } else if case .handedBack = completion.outcome {
                    handedBack.append(completion.jobID)
                } else if let effect = completion.effect {
                    try apply(completion, effect: effect, workerID: workerID, workerNow: request.workerNow, tally: &tally)
                } else {
                    try apply(completion, workerID: workerID, workerNow: request.workerNow, tally: &tally)
                }
            }
            if !succeeded.isEmpty {
                let ended = try connection.execute(
                    """
                    UPDATE jobs SET state = 'succeeded', finished_at = mislink_now_ms(), lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = ANY($1::bigint[]) AND state = 'running' AND lease_owner = $2
                    RETURNING \(Self.endedColumns)
                    """, [PostgresValue.int64Array(succeeded), workerID])
                try Self.tallySucceeded(ended.rows, into: &tally)
            }
            if !handedBack.isEmpty { try handBack(handedBack, workerID: workerID) }
            var claimed: [ClaimedJob] = []
            if limit > 0 {
                try promoteDueJobs()
                claimed = try claimAvailable(
                    workerID: workerID, limit: limit, queues: request.queues, excluding: request.excludingQueues,
                    leaseMilliseconds: request.leaseMilliseconds)
            }
            try record(tally)
            let drained = limit > 0 ? claimed.count < limit : nil
            return Exchange(claimed: claimed, nextDueAt: drained == false ? nil : try nextWaitingRunAt(), drained: drained)
        }
    }

    /// A completion with bookkeeping: the effect runs only for a success this worker's lease let
    /// through; if it throws, the savepoint drops its writes and the attempt fails, retryably.
    private func apply(
        _ completion: Completion, effect: CommitEffect, workerID: String, workerNow: Int64, tally: inout JobTally
    ) throws {
        // The savepoint's counts join the tally only if it is released: a rolled-back success is not counted.
        var attempt = tally
        do {
            try connection.savepoint("completion_effect") {
                let applied = try apply(completion, workerID: workerID, workerNow: workerNow, tally: &attempt)
                if case .succeeded = completion.outcome, applied { try effect(connection) }
            }
            tally = attempt
        } catch let error as PostgresError where error.isTransient {
            throw error  // the whole transaction is retried: the effect runs again in the new one
        } catch {
            try apply(
                Completion(
                    jobID: completion.jobID,
                    outcome: .failed(
                        message: "the job's own bookkeeping could not be saved: \(error)", retryAt: workerNow + 5_000, cause: .bookkeeping)),
                workerID: workerID, workerNow: workerNow, tally: &tally)
        }
    }

    /// The earliest run-at of a scheduled or retryable job.
    public func nextWaitingRunAt() throws -> Int64? {
        try connection.execute("SELECT min(run_at) FROM jobs WHERE state IN ('scheduled', 'retryable')").rows.first?
            .optionalInt64(0)
    }

    /// Moves scheduled and retryable jobs that are due by the database's clock to `available`, in
    /// batches of at most 5,000; rows another process is promoting are skipped, not waited for.
    @discardableResult
    func promoteDueJobs() throws -> Int {
        let moved = try connection.execute(
            """
            UPDATE jobs SET state = 'available'
            FROM (SELECT id FROM jobs WHERE state IN ('scheduled', 'retryable') AND run_at <= mislink_now_ms()
                ORDER BY run_at LIMIT 5000 FOR UPDATE SKIP LOCKED) due
            WHERE jobs.id = due.id
            RETURNING jobs.queue
            """)
        for queue in Set(try moved.rows.map { try $0.string(0) }).sorted() {
            try connection.notify(PostgresQueueSchema.channel, payload: queue)
        }
        return moved.rows.count
    }

    /// One statement per batch: the candidates are locked with SKIP LOCKED, so concurrent claimers
    /// take disjoint jobs without waiting on each other. The MATERIALIZED candidates are the
    /// optimisation fence that keeps the update to LIMIT rows.
    ///
    /// A job with a concurrency key is a candidate only while fewer than its limit of jobs with that
    /// key run, and one claim takes no more of a key than the room left (as on SQLite). Counting
    /// running jobs is only safe while no other claimer takes jobs of that key, so first, in a
    /// statement of its own, this claim takes a transaction-scoped advisory lock on each key it may
    /// claim (keys another claimer holds are skipped this turn); the claim's own snapshot, taken
    /// after, then sees every earlier claim of those keys. Queues without keys find no keys and
    /// pay one empty index read.
    ///
    /// Paused queues (read in this transaction, so a pause that committed first is obeyed) and
    /// `excluded` ones are skipped.
    private func claimAvailable(
        workerID: String, limit: Int, queues: [String]?, excluding excluded: Set<String>, leaseMilliseconds: Int64
    ) throws -> [ClaimedJob] {
        let skipped = excluded.union(try connection.execute("SELECT queue FROM queue_pauses").rows.map { try $0.string(0) })
        let queues = queues.map { $0.filter { !skipped.contains($0) } }
        if queues?.isEmpty == true { return [] }
        // One text[] parameter narrows both statements: the queues to claim from, or those to skip.
        let narrowing = queues.map(PostgresValue.textArray) ?? (skipped.isEmpty ? nil : PostgresValue.textArray(skipped.sorted()))
        let filter = { (parameter: Int) -> String in
            guard narrowing != nil else { return "" }
            return queues != nil ? "AND queue = ANY($\(parameter)::text[])" : "AND NOT (queue = ANY($\(parameter)::text[]))"
        }
        let keys = try lockClaimableKeys(filter: filter(1), arguments: narrowing.map { [$0] } ?? [])
        if keys.isEmpty {
            // No concurrency key to weigh (the common case): the plain SKIP LOCKED claim.
            var arguments: [any PostgresBindable] = [workerID, leaseMilliseconds, limit]
            if let narrowing { arguments.append(narrowing) }
            return try claimed(
                connection.execute(
                    """
                    UPDATE jobs j SET state = 'running', attempt = j.attempt + 1, lease_owner = $1,
                        lease_expires_at = mislink_now_ms() + $2, started_at = mislink_now_ms()
                    FROM (SELECT id FROM jobs WHERE state = 'available' AND concurrency_key IS NULL \(filter(4))
                        ORDER BY priority DESC, run_at, id LIMIT $3 FOR NO KEY UPDATE SKIP LOCKED) chosen
                    WHERE j.id = chosen.id
                    RETURNING \(Self.claimedColumns)
                    """, arguments
                ).rows)
        }
        var arguments: [any PostgresBindable] = [workerID, leaseMilliseconds, limit, PostgresValue.textArray(keys)]
        if let narrowing { arguments.append(narrowing) }
        let keysParameter = "$4::text[]"
        let running = "SELECT count(*) FROM jobs r WHERE r.state = 'running' AND r.concurrency_key"
        let rows = try connection.execute(
            """
            WITH candidates AS MATERIALIZED (
                SELECT id, priority, run_at, concurrency_key, concurrency_limit FROM jobs
                WHERE state = 'available' \(filter(5))
                    AND (concurrency_key IS NULL OR (concurrency_key = ANY(\(keysParameter))
                        AND concurrency_limit > (\(running) = jobs.concurrency_key)))
                ORDER BY priority DESC, run_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
            chosen AS (
                SELECT id FROM (SELECT id, concurrency_key AS k, concurrency_limit AS l,
                    row_number() OVER (PARTITION BY concurrency_key ORDER BY priority DESC, run_at, id) AS n FROM candidates) c
                WHERE k IS NULL OR n <= l - (\(running) = c.k))
            UPDATE jobs j SET state = 'running', attempt = j.attempt + 1, lease_owner = $1,
                lease_expires_at = mislink_now_ms() + $2, started_at = mislink_now_ms()
            FROM chosen WHERE j.id = chosen.id
            RETURNING \(Self.claimedColumns)
            """, arguments
        ).rows
        return try claimed(rows)
    }

    static let claimedColumns = "j.id, j.kind, j.queue, j.integration, j.payload, j.priority, j.attempt, j.max_attempts, j.created_at, j.run_at"

    /// Claimed rows (`claimedColumns`) as jobs, highest priority first.
    private func claimed(_ rows: [PostgresRow]) throws -> [ClaimedJob] {
        let claimed = try rows.map { row in
            ClaimedJob.backend(
                id: try row.int64(0), kind: try row.string(1), queue: try row.string(2), integration: try row.optionalString(3),
                payload: try row.string(4), priority: Int(try row.int64(5)), attempt: Int(try row.int64(6)),
                maxAttempts: Int(try row.int64(7)), createdAt: try row.int64(8), runAt: try row.int64(9))
        }
        // RETURNING gives rows in no set order; hand them out highest priority first.
        return claimed.sorted { ($0.priority, -$0.runAt, -$0.id) > ($1.priority, -$1.runAt, -$1.id) }
    }

    /// The concurrency keys of available jobs in `queues` that this transaction now holds the claim
    /// lock of. A try-lock never waits: a key another claimer holds is left for the next turn.
    /// `filter` narrows the queues, with its parameter as $1.
    private func lockClaimableKeys(filter: String, arguments: [any PostgresBindable]) throws -> [String] {
        let rows = try connection.execute(
            """
            SELECT k FROM (SELECT DISTINCT concurrency_key AS k FROM jobs
                WHERE state = 'available' AND concurrency_key IS NOT NULL \(filter)) keys
            WHERE pg_try_advisory_xact_lock(\(Self.keyLockSpace), hashtext(k))
            """, arguments
        ).rows
        return try rows.map { try $0.string(0) }
    }

    /// The first half of a concurrency key's advisory lock, so that key locks never meet other locks.
    static let keyLockSpace: Int32 = 0x4D49_534B  // "MISK"

    /// Times in outcomes are the worker's: only their distance from `workerNow` is kept, added to the
    /// database's clock. Answers whether the job was still this worker's, and so changed.
    @discardableResult
    private func apply(_ completion: Completion, workerID: String, workerNow: Int64, tally: inout JobTally) throws -> Bool {
        let id = completion.jobID
        switch completion.outcome {
        case .succeeded(let result):
            let ended = try connection.execute(
                """
                UPDATE jobs SET state = 'succeeded', finished_at = mislink_now_ms(), result = $3, lease_owner = NULL,
                    lease_expires_at = NULL
                WHERE id = $1 AND state = 'running' AND lease_owner = $2
                RETURNING \(Self.endedColumns)
                """, [id, workerID, result]
            ).rows
            try Self.tallySucceeded(ended, into: &tally)
            return ended.count == 1
        case .handedBack:
            return try handBack([id], workerID: workerID) == 1
        case .snoozed(let until):
            return try connection.execute(
                """
                UPDATE jobs SET state = CASE WHEN $3 > 0 THEN 'scheduled' ELSE 'available' END, run_at = mislink_now_ms() + $3,
                    attempt = attempt - 1, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = $1 AND state = 'running' AND lease_owner = $2
                """, [id, workerID, until - workerNow]
            ).affectedRows == 1
        case .cancelled(let message):
            return try settleFailedAttempt(
                id: id, owner: workerID, message: message, retryIn: nil, cancel: true, cause: .error(code: nil), tally: &tally) != nil
        case .failed(let message, let retryAt, let cause):
            return try settleFailedAttempt(
                id: id, owner: workerID, message: message, retryIn: retryAt.map { $0 - workerNow }, cancel: false, cause: cause,
                tally: &tally) != nil
        }
    }

    /// What a completion's UPDATE returns for the tally: kind, queue, started_at, run_at, finished_at.
    static let endedColumns = "kind, queue, started_at, run_at, finished_at"

    /// Successes (`endedColumns` rows) into the tally: counters, run times and waits, activity.
    private static func tallySucceeded(_ rows: [PostgresRow], into tally: inout JobTally) throws {
        for row in rows {
            tally.recordEnd(
                kind: try row.string(0), queue: try row.string(1), as: .succeeded, startedAt: try row.optionalInt64(2),
                runAt: try row.int64(3), now: try row.int64(4))
        }
    }

    /// Jobs back to `available`, their attempt not charged: one statement for any number. Answers how many.
    @discardableResult
    private func handBack(_ ids: [Int64], workerID: String) throws -> Int {
        try connection.execute(
            """
            UPDATE jobs SET state = 'available', attempt = attempt - 1, started_at = NULL, lease_owner = NULL,
                lease_expires_at = NULL
            WHERE id = ANY($1::bigint[]) AND state = 'running' AND lease_owner = $2
            """, [PostgresValue.int64Array(ids), workerID]
        ).affectedRows
    }

    /// A failed attempt of a job `owner` still runs: cancelled if asked (or an admin asked), failed if
    /// permanent or out of attempts, else retryable `retryIn` milliseconds from now (database clock). The attempt's error, with its worker
    /// and start, joins the history first, while the row still names them. A job that ends failed
    /// gets its kind's final-failure bookkeeping in the same transaction. Answers the state it left.
    @discardableResult
    func settleFailedAttempt(
        id: Int64, owner: String, message: String, retryIn: Int64?, cancel: Bool, cause: FailureCause, tally: inout JobTally
    ) throws -> JobState? {
        guard
            let row = try connection.execute(
                """
                SELECT attempt, max_attempts, cancel_requested, kind, integration, queue, started_at, run_at, mislink_now_ms()
                FROM jobs
                WHERE id = $1 AND state = 'running' AND lease_owner = $2 FOR UPDATE
                """, [id, owner]
            ).rows.first
        else { return nil }
        let attempt = try row.int64(0)
        let maxAttempts = try row.int64(1)
        let state: JobState
        var recorded = message
        let cancelRequested = try row.bool(2)
        if cancel || cancelRequested {
            state = .cancelled
        } else if retryIn != nil && attempt < maxAttempts {
            state = .retryable
        } else {
            state = .failed
            if retryIn != nil { recorded = "\(message) (attempt \(attempt) of \(maxAttempts): no attempts left)" }
        }
        try connection.execute(
            """
            INSERT INTO job_errors (job_id, attempt, at, message, worker, started_at)
            SELECT id, attempt, mislink_now_ms(), $2, lease_owner, started_at FROM jobs WHERE id = $1
            """, [id, recorded])
        try connection.execute(
            """
            UPDATE jobs SET state = $2, last_error = $3, lease_owner = NULL, lease_expires_at = NULL,
                run_at = CASE WHEN $2 = 'retryable' THEN mislink_now_ms() + $4 ELSE run_at END,
                finished_at = CASE WHEN $2 = 'retryable' THEN NULL ELSE mislink_now_ms() END
            WHERE id = $1
            """, [id, state.rawValue, recorded, retryIn ?? 0])
        tally.recordEnd(
            kind: try row.string(3), queue: try row.string(5), as: state, startedAt: try row.optionalInt64(6), runAt: try row.int64(7),
            now: try row.int64(8))
        if state == .failed {
            try runFinalFailureHook(
                FinalFailure(
                    jobID: id, kind: try row.string(3), integration: try row.optionalString(4), attempt: Int(attempt),
                    maxAttempts: Int(maxAttempts), message: recorded, cause: cause))
        }
        return state
    }

    /// The hook's bookkeeping under its own savepoint: if it throws, the job still ends failed, and
    /// the hook's error joins the job's history so that an admin sees it.
    private func runFinalFailureHook(_ failure: FinalFailure) throws {
        guard let effect = finalFailureHook?(failure) else { return }
        do {
            try connection.savepoint("final_failure") { try effect(connection) }
        } catch let error as PostgresError where error.isTransient {
            throw error
        } catch {
            let message = "the bookkeeping for this failure could not be saved: \(error)"
            try connection.execute(
                "INSERT INTO job_errors (job_id, attempt, at, message) VALUES ($1, $2, mislink_now_ms(), $3)",
                [failure.jobID, failure.attempt, message])
            try connection.execute("UPDATE jobs SET last_error = $2 WHERE id = $1", [failure.jobID, message])
        }
    }
}
