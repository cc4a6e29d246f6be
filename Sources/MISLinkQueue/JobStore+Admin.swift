import SQLiteDB

/// Which jobs a list, a count or a bulk action covers: every field narrows it; nil or empty is "any".
public struct JobFilter: Sendable, Equatable {
    public var states: [JobState]
    public var kind: String?
    public var queue: String?
    public var integration: String?
    /// Text in the payload or in an error (the last one and every attempt's), matched as a substring,
    /// case-insensitively for ASCII letters; `%` and `_` match themselves. Empty means no search.
    public var search: String?
    /// Keyset paging: only jobs with an id below this (the previous page's `nextBefore`).
    public var before: Int64?
    public var limit: Int
    /// How many jobs one search page examines at most (newest first, below `before`).
    public var searchWindow = JobFilter.defaultSearchWindow

    public init(
        states: [JobState] = [], kind: String? = nil, queue: String? = nil, integration: String? = nil,
        search: String? = nil, before: Int64? = nil, limit: Int = 50
    ) {
        self.states = states
        self.kind = kind
        self.queue = queue
        self.integration = integration
        self.search = search
        self.before = before
        self.limit = limit
    }
}

/// Counts by kind and state, and how long the oldest available job has waited.
public struct QueueStats: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let kind: String
        public let state: JobState
        public let count: Int

        public init(kind: String, state: JobState, count: Int) {
            self.kind = kind
            self.state = state
            self.count = count
        }
    }
    public let rows: [Row]
    /// Run-at of the longest-waiting available job, if any.
    public let oldestAvailableRunAt: Int64?

    public func count(state: JobState) -> Int { rows.filter { $0.state == state }.reduce(0) { $0 + $1.count } }
}

/// What cancelling did.
public enum CancelResult: Sendable, Equatable {
    /// It had not started: it is cancelled now.
    case cancelled
    /// It is running: its worker cancels it at its next heartbeat.
    case requested
}

extension JobStore {
    public func job(id: Int64) throws -> Job? {
        guard var job = try connection.queryFirst("SELECT \(Self.jobColumns) FROM jobs WHERE id = ?", [id], Self.job)
        else { return nil }
        job.errors = try errorHistory(jobID: id)
        return job
    }

    /// Newest first: the first page of `jobPage(matching:)`.
    public func jobs(matching filter: JobFilter) throws -> [Job] {
        try jobPage(matching: filter).jobs
    }

    /// One page, newest first, and the `before` of the next. Newest-first walks the primary key from
    /// `before` down (or the `jobs_failed` index for `state=failed`), stopping at the page's end. A
    /// search examines at most `searchWindow` jobs per page, so a rare word costs a bounded
    /// scan per page rather than the whole table: such a page may be short, or empty, and still
    /// answer a next page.
    public func jobPage(matching filter: JobFilter) throws -> JobPage {
        let limit = max(1, min(filter.limit, Int.max - 1))
        let base = filter.conditions(includeSearch: false)
        var sql = "SELECT \(Self.jobColumns) FROM jobs \(base.whereClause) ORDER BY id DESC LIMIT ?"
        var arguments = base.arguments + [limit + 1] as [any SQLBindable]
        let search = filter.searchCondition
        if let search {
            // The window is a co-routine over the same index walk; the search reads only its rows.
            sql = """
                SELECT \(Self.jobColumns) FROM (SELECT * FROM jobs \(base.whereClause) ORDER BY id DESC LIMIT ?) AS jobs
                WHERE \(search.sql) ORDER BY id DESC LIMIT ?
                """
            arguments = base.arguments + [filter.searchWindow] as [any SQLBindable] + search.arguments + [limit + 1]
        }
        var jobs = try connection.query(sql, arguments, Self.job)
        var nextBefore: Int64?
        if jobs.count > limit {
            jobs.removeLast(jobs.count - limit)
            nextBefore = jobs.last?.id
        } else if search != nil {
            // Short page: either the search ran out of jobs, or out of its window. The first job past
            // the window, if any, is where the next page starts (`before` is exclusive, hence + 1).
            let beyond = try connection.scalarInt(
                "SELECT id FROM jobs \(base.whereClause) ORDER BY id DESC LIMIT 1 OFFSET ?",
                base.arguments + [filter.searchWindow] as [any SQLBindable])
            nextBefore = beyond.map { $0 + 1 }
        }
        for index in jobs.indices where jobs[index].lastError != nil {
            jobs[index].errors = try errorHistory(jobID: jobs[index].id)
        }
        return JobPage(jobs: jobs, nextBefore: nextBefore)
    }

    /// Puts a failed or cancelled job back to `available` with `extraAttempts` more attempts.
    /// Its error history is kept.
    public func retry(id: Int64, extraAttempts: Int, now: Int64 = JobStore.now()) throws {
        try connection.transaction { try retryInTransaction(id: id, extraAttempts: extraAttempts, now: now) }
    }

    /// `retry(id:)` inside a transaction already open on `connection`, so that a caller's rule check
    /// (the sync service's enqueue rules) commits with the retry it allows.
    package static func retry(id: Int64, extraAttempts: Int, on connection: Connection, now: Int64) throws {
        try JobStore(existing: connection).retryInTransaction(id: id, extraAttempts: extraAttempts, now: now)
    }

    func retryInTransaction(id: Int64, extraAttempts: Int, now: Int64) throws {
        guard let job = try connection.queryFirst("SELECT \(Self.jobColumns) FROM jobs WHERE id = ?", [id], Self.job)
        else { throw QueueError(.notFound, "job \(id) does not exist") }
        guard job.state == .failed || job.state == .cancelled else {
            throw QueueError(.invalidState, "job \(id) is \(job.state.rawValue); only failed or cancelled jobs can be retried")
        }
        var tally = JobTally()
        try requeue(job, extraAttempts: extraAttempts, now: now, tally: &tally)
        try record(tally)
    }

    /// Retries every failed job (each with `extraAttempts(kind)` more attempts); answers how many.
    /// A job whose unique key is now held by another pending job is left failed.
    public func retryAllFailed(extraAttempts: (String) -> Int, now: Int64 = JobStore.now()) throws -> Int {
        try connection.transaction {
            let failed = try connection.query(
                "SELECT \(Self.jobColumns) FROM jobs WHERE state = 'failed' ORDER BY id", [], Self.job)
            var count = 0
            var tally = JobTally()
            for job in failed {
                do {
                    try requeue(job, extraAttempts: extraAttempts(job.kind), now: now, tally: &tally)
                    count += 1
                } catch let error as QueueError where error.code == .uniqueConflict {
                    continue
                }
            }
            try record(tally)
            return count
        }
    }

    /// Puts a failed or cancelled job back to `available`, counted in `tally` for the caller to record.
    func requeue(_ job: Job, extraAttempts: Int, now: Int64, tally: inout JobTally) throws {
        if let key = job.uniqueKey,
            let holder = try connection.scalarInt(
                """
                SELECT id FROM jobs INDEXED BY jobs_unique_pending WHERE unique_key = ? AND id != ?
                AND state IN ('scheduled', 'available', 'running', 'retryable')
                """, [key, job.id])
        {
            throw QueueError(
                .uniqueConflict,
                "job \(job.id) cannot be retried: job \(holder) with the same unique key is already pending")
        }
        try connection.run(
            """
            UPDATE jobs SET state = 'available', run_at = ?, max_attempts = attempt + ?, finished_at = NULL,
                cancel_requested = 0, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = ?
            """, [now, max(1, extraAttempts), job.id])
        tally.move(kind: job.kind, queue: job.queue, from: job.state, to: .available)
    }

    /// Cancels a job that has not finished. A running job is cancelled by its worker.
    public func cancel(id: Int64, now: Int64 = JobStore.now()) throws -> CancelResult {
        try connection.transaction { try cancelInTransaction(id: id, now: now) }
    }

    /// `cancel(id:)` inside a transaction already open on `connection` (a bulk cancel's chunk),
    /// recording its own tally.
    package func cancelInTransaction(id: Int64, now: Int64) throws -> CancelResult {
        var tally = JobTally()
        let result = try cancel(id: id, now: now, tally: &tally)
        try record(tally)
        return result
    }

    /// `cancel(id:)` inside the caller's transaction, counted in `tally` for the caller to record
    /// (a bulk cancel records one tally for all its jobs).
    func cancel(id: Int64, now: Int64, tally: inout JobTally) throws -> CancelResult {
        guard
            let (state, attempt, kind, queue) = try connection.queryFirst(
                "SELECT state, attempt, kind, queue FROM jobs WHERE id = ?", [id], { ($0.string(0), $0.int(1), $0.string(2), $0.string(3)) })
        else {
            throw QueueError(.notFound, "job \(id) does not exist")
        }
        switch JobState(rawValue: state) {
        case .scheduled, .available, .retryable:
            try cancelWaitingRow(
                id: id, state: JobState(rawValue: state), attempt: attempt, kind: kind, queue: queue, reason: "cancelled by an admin",
                now: now, tally: &tally)
            return .cancelled
        case .running:
            try connection.run("UPDATE jobs SET cancel_requested = 1 WHERE id = ?", [id])
            return .requested
        default:
            throw QueueError(.invalidState, "job \(id) is already \(state); only unfinished jobs can be cancelled")
        }
    }

    /// Cancels a job that waits (scheduled, available or retryable), recording `reason` in its history,
    /// inside the caller's transaction; answers false, changing nothing, for a job that runs, has
    /// finished or is gone. Bookkeeping's way to call off a follow-up it had scheduled.
    package func cancelWaiting(id: Int64, reason: String, now: Int64) throws -> Bool {
        guard
            let (state, attempt, kind, queue) = try connection.queryFirst(
                "SELECT state, attempt, kind, queue FROM jobs WHERE id = ?", [id], { ($0.string(0), $0.int(1), $0.string(2), $0.string(3)) }),
            let waiting = JobState(rawValue: state), [.scheduled, .available, .retryable].contains(waiting)
        else { return false }
        var tally = JobTally()
        try cancelWaitingRow(id: id, state: waiting, attempt: attempt, kind: kind, queue: queue, reason: reason, now: now, tally: &tally)
        try record(tally)
        return true
    }

    /// The one way a waiting job is cancelled: its history says why, and it is counted.
    private func cancelWaitingRow(
        id: Int64, state: JobState?, attempt: Int, kind: String, queue: String, reason: String, now: Int64, tally: inout JobTally
    ) throws {
        try recordError(jobID: id, attempt: attempt, at: now, message: reason)
        try connection.run("UPDATE jobs SET state = 'cancelled', finished_at = ? WHERE id = ?", [now, id])
        tally.add(JobMetrics.cancelled, kind: kind, queue: queue)
        tally.move(kind: kind, queue: queue, from: state, to: .cancelled)
    }

    /// Deletes finished jobs (and their error history) that finished before `cutoff`, and the
    /// activity buckets older than the retention as of `now`. Works in chunks so that enqueuers and
    /// workers are never held up for long. The lasting counters stay.
    public func prune(finishedBefore cutoff: Int64, chunk: Int = 10_000, now: Int64 = JobStore.now()) throws -> Int {
        try connection.transaction { try trimActivity(now: now) }
        var total = 0
        while true {
            let deleted = try connection.transaction {
                let ids = try connection.query(
                    "SELECT id FROM jobs WHERE finished_at < ? AND state IN ('succeeded', 'failed', 'cancelled') LIMIT ?",
                    [cutoff, chunk]
                ) { $0.int64(0) }
                return try deleteJobs(ids: ids)
            }
            total += deleted
            if deleted < chunk { return total }
        }
    }

    /// THE way jobs leave the table: deletes the jobs with these ids that are in one of `states`
    /// (finished ones unless told otherwise; a running job is never deleted under its worker), with
    /// their error history, and takes them off the state counts, in the caller's transaction. Prune
    /// and an admin's discard both call it, so the counts cannot drift. Answers how many it deleted.
    @discardableResult
    func deleteJobs(ids: [Int64], inStates states: [JobState] = JobState.finished) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        precondition(!states.contains(.running), "a running job is its worker's; it is never deleted")
        var tally = JobTally()
        let deleted = try connection.query(
            """
            DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(?1))
                AND state IN (SELECT value FROM json_each(?2))
            RETURNING kind, queue, state
            """, [Self.idList(ids), "[" + states.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"]
        ) { row in
            tally.move(kind: row.string(0), queue: row.string(1), from: JobState(rawValue: row.string(2)), to: nil)
        }.count
        try record(tally)
        return deleted
    }

    /// Jobs by kind and state, from the state counters, and the oldest available job's run-at by
    /// index seeks: a handful of rows however many jobs there are.
    public func stats() throws -> QueueStats {
        try reading {
            var counts: [String: [JobState: Int]] = [:]
            for row in try countedStates() { counts[row.kind, default: [:]][row.state, default: 0] += row.count }
            let rows = counts.flatMap { kind, states in
                states.filter { $0.value != 0 }.map { QueueStats.Row(kind: kind, state: $0.key, count: $0.value) }
            }.sorted { ($0.kind, $0.state.rawValue) < ($1.kind, $1.state.rawValue) }
            return QueueStats(rows: rows, oldestAvailableRunAt: try oldestAvailableRunAt().values.min())
        }
    }

    /// Records a running job's progress (free JSON text) while its worker still holds it.
    public func setProgress(id: Int64, workerID: String, progress: String) throws {
        try connection.transaction {
            try connection.run(
                "UPDATE jobs SET progress = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
                [progress, id, workerID])
        }
    }
}
