import SQLiteDB

extension JobStore {
    /// Pauses a queue: no worker claims from it until it is resumed; its jobs stay available (a
    /// running job finishes). Answers false if it was already paused (its pause time is kept).
    @discardableResult
    public func pause(queue: String, now: Int64 = JobStore.now()) throws -> Bool {
        try Self.checkQueueName(queue)
        return try connection.transaction {
            try connection.run("INSERT INTO queue_pauses(queue, paused_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [queue, now]) == 1
        }
    }

    /// Resumes a paused queue. Answers false if it was not paused.
    @discardableResult
    public func resume(queue: String) throws -> Bool {
        try Self.checkQueueName(queue)
        return try connection.transaction {
            try connection.run("DELETE FROM queue_pauses WHERE queue = ?", [queue]) == 1
        }
    }

    /// Paused queues and when each was paused.
    public func pausedQueues() throws -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: try connection.query("SELECT queue, paused_at FROM queue_pauses") {
            ($0.string(0), $0.int64(1))
        })
    }

    /// Every queue that has pending or failed jobs or is paused, by name. Each count reads one
    /// partial index (the pending and failed jobs only), never the finished jobs.
    public func queueSummaries() throws -> [QueueSummary] {
        var depth: [String: [JobState: Int]] = [:]
        var oldest: [String: Int64] = [:]
        _ = try connection.query(
            """
            SELECT queue, count(*), min(run_at) FROM jobs INDEXED BY jobs_available_by_queue
            WHERE state = 'available' GROUP BY queue
            """
        ) { row in
            depth[row.string(0), default: [:]][.available] = row.int(1)
            oldest[row.string(0)] = row.int64(2)
        }
        let others = [
            "SELECT queue, state, count(*) FROM jobs INDEXED BY jobs_waiting WHERE state IN ('scheduled', 'retryable') GROUP BY queue, state",
            "SELECT queue, state, count(*) FROM jobs INDEXED BY jobs_running WHERE state = 'running' GROUP BY queue, state",
            "SELECT queue, state, count(*) FROM jobs INDEXED BY jobs_failed WHERE state = 'failed' GROUP BY queue, state",
        ]
        for sql in others {
            _ = try connection.query(sql) { row in
                if let state = JobState(rawValue: row.string(1)) { depth[row.string(0), default: [:]][state] = row.int(2) }
            }
        }
        let paused = try pausedQueues()
        let names = Set(depth.keys).union(paused.keys).sorted()
        return names.map {
            QueueSummary(name: $0, depth: depth[$0] ?? [:], oldestAvailableRunAt: oldest[$0], pausedAt: paused[$0])
        }
    }

    /// The paused queues' names, read by every claim.
    func pausedQueueNames() throws -> Set<String> {
        Set(try connection.query("SELECT queue FROM queue_pauses") { $0.string(0) })
    }

    /// The distinct queues with available jobs, one index seek per queue (a loose index scan), however
    /// many jobs each holds.
    func availableQueueNames() throws -> [String] {
        try connection.query(
            """
            WITH RECURSIVE names(name) AS (
                SELECT (SELECT min(queue) FROM jobs INDEXED BY jobs_available_by_queue WHERE state = 'available')
                UNION ALL
                SELECT (SELECT min(queue) FROM jobs INDEXED BY jobs_available_by_queue WHERE state = 'available' AND queue > name)
                FROM names WHERE name IS NOT NULL
            )
            SELECT name FROM names WHERE name IS NOT NULL
            """
        ) { $0.string(0) }
    }

    private static func checkQueueName(_ queue: String) throws {
        if queue.isEmpty || queue.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }) {
            throw QueueError(.invalidInput, "a queue name must be non-empty text on one line")
        }
    }
}
