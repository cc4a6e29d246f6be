import MISLinkQueue
import PostgresDB

/// Counts by state on PostgreSQL. It keeps no state counters (every commit would write the same
/// few counter rows, serialising workers on many hosts), so these count the jobs table itself: the
/// pending states and failed through their partial indexes, in proportion to the jobs in them;
/// succeeded and cancelled by a sequential scan, in proportion to the whole table.
extension PostgresJobStore {
    /// Jobs by kind and state, sorted by kind then state, and the oldest available job's run-at.
    /// Costs one sequential scan of the jobs table (a GROUP BY over every row), plus the few index
    /// seeks of `oldestAvailableRunAt`.
    public func stats() throws -> QueueStats {
        try inReadTransaction {
            let rows = try connection.execute("SELECT kind, state, count(*) FROM jobs GROUP BY kind, state").rows.compactMap {
                row -> QueueStats.Row? in
                guard let state = JobState(rawValue: try row.string(1)) else { return nil }
                return QueueStats.Row(kind: try row.string(0), state: state, count: Int(try row.int64(2)))
            }.sorted { ($0.kind, $0.state.rawValue) < ($1.kind, $1.state.rawValue) }
            return QueueStats.backend(rows: rows, oldestAvailableRunAt: try oldestAvailableRunAt().values.min())
        }
    }

    /// Jobs now in each state (every state present, 0 when none), narrowed by kind and queue (nil:
    /// all). The current states cost what `countedStates` does; succeeded and cancelled add one
    /// sequential scan of the jobs table.
    public func stateCounts(kind: String?, queue: String?) throws -> [JobState: Int] {
        try inReadTransaction {
            var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
            for row in try countedStates(kind: kind, queue: queue) { counts[row.state, default: 0] += row.count }
            for row in try connection.execute(
                """
                SELECT state, count(*) FROM jobs WHERE state IN ('succeeded', 'cancelled')
                    AND ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR queue = $2)
                GROUP BY state
                """, [kind, queue]
            ).rows {
                if let state = JobState(rawValue: try row.string(0)) { counts[state] = Int(try row.int64(1)) }
            }
            return counts
        }
    }

    /// The jobs now scheduled, available, running, retryable or failed (`JobMetrics.states`' states),
    /// by state, kind and queue, the non-zero rows only; narrowed by kind and queue (nil: all). One
    /// statement: each arm reads one partial index (jobs_waiting, jobs_available, jobs_running,
    /// jobs_failed) and the rows it points at, so it costs in proportion to the jobs in those states,
    /// however many have finished.
    func countedStates(kind: String?, queue: String?) throws -> [JobMetrics.StateCount] {
        let narrow = "($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR queue = $2)"
        let arms = ["state IN ('scheduled', 'retryable')", "state = 'available'", "state = 'running'", "state = 'failed'"].map {
            "SELECT state, kind, queue, count(*) FROM jobs WHERE \($0) AND \(narrow) GROUP BY state, kind, queue"
        }
        return try connection.execute(arms.joined(separator: " UNION ALL "), [kind, queue]).rows.compactMap { row in
            guard let state = JobState(rawValue: try row.string(0)) else { return nil }
            return JobMetrics.StateCount.backend(
                state: state, kind: try row.string(1), queue: try row.string(2), count: Int(try row.int64(3)))
        }
    }

    /// Every queue that has pending or failed jobs or is paused, by name, as `JobStore.queueSummaries`:
    /// depths from `metrics.states` when given (read in the same transaction), else `countedStates`.
    public func queueSummaries(using metrics: JobMetrics?) throws -> [QueueSummary] {
        try inReadTransaction {
            var depth: [String: [JobState: Int]] = [:]
            let states = try metrics?.states ?? countedStates(kind: nil, queue: nil)
            for row in states where row.count != 0 { depth[row.queue, default: [:]][row.state, default: 0] += row.count }
            depth = depth.mapValues { $0.filter { $0.value != 0 } }.filter { !$0.value.isEmpty }
            let oldest = try oldestAvailableRunAt()
            var paused: [String: Int64] = [:]
            for row in try connection.execute("SELECT queue, paused_at FROM queue_pauses").rows {
                paused[try row.string(0)] = try row.int64(1)
            }
            return Set(depth.keys).union(paused.keys).sorted().map {
                QueueSummary(name: $0, depth: depth[$0] ?? [:], oldestAvailableRunAt: oldest[$0], pausedAt: paused[$0])
            }
        }
    }

    /// The run-at of each queue's longest-waiting available job. jobs_available_by_queue is ordered
    /// (queue, priority DESC, run_at, id), so each (queue, priority) pair's first entry is its oldest:
    /// a loose index scan (a recursive CTE) seeks from one pair's head to the next, a few index seeks
    /// per queue and priority however many jobs wait.
    func oldestAvailableRunAt() throws -> [String: Int64] {
        let head = "SELECT queue, priority, run_at FROM jobs WHERE state = 'available'"
        let order = "ORDER BY queue, priority DESC, run_at, id LIMIT 1"
        var oldest: [String: Int64] = [:]
        for row in try connection.execute(
            """
            WITH RECURSIVE heads (queue, priority, run_at) AS (
                (\(head) \(order))
                UNION ALL
                SELECT next.queue, next.priority, next.run_at FROM heads, LATERAL (
                    (\(head) AND queue = heads.queue AND priority < heads.priority \(order))
                    UNION ALL
                    (\(head) AND queue > heads.queue \(order))
                    LIMIT 1) AS next
            )
            SELECT queue, min(run_at) FROM heads GROUP BY queue
            """
        ).rows {
            oldest[try row.string(0)] = try row.int64(1)
        }
        return oldest
    }

    /// Every running job with its worker, through jobs_running: as many rows as jobs run right now.
    /// Ordered by worker (byte order, as SQLite's, whatever the database's collation) then id.
    public func heldJobs() throws -> [HeldJob] {
        try connection.execute(
            """
            SELECT id, kind, queue, integration, lease_owner, attempt, started_at, lease_expires_at, cancel_requested
            FROM jobs WHERE state = 'running' ORDER BY lease_owner COLLATE "C", id
            """
        ).rows.map {
            HeldJob.backend(
                id: try $0.int64(0), kind: try $0.string(1), queue: try $0.string(2), integration: try $0.optionalString(3),
                workerID: try $0.optionalString(4) ?? "", attempt: Int(try $0.int64(5)), startedAt: try $0.optionalInt64(6),
                leaseExpiresAt: try $0.optionalInt64(7), cancelRequested: try $0.bool(8))
        }
    }
}
