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

    /// Every queue that has pending or failed jobs or is paused, by name: depths from the state
    /// counters, the oldest available job by index seeks, never a count of the jobs. A scrape that has
    /// read `jobMetrics()` in the same transaction passes it, so the counters are read once.
    public func queueSummaries(using metrics: JobMetrics? = nil) throws -> [QueueSummary] {
        try reading {
            var depth: [String: [JobState: Int]] = [:]
            let states = try metrics?.states ?? countedStates().filter { JobMetrics.currentStates.contains($0.state) }
            for row in states where row.count != 0 { depth[row.queue, default: [:]][row.state, default: 0] += row.count }
            depth = depth.mapValues { $0.filter { $0.value != 0 } }.filter { !$0.value.isEmpty }
            let oldest = try oldestAvailableRunAt()
            let paused = try pausedQueues()
            let names = Set(depth.keys).union(paused.keys).sorted()
            return names.map {
                QueueSummary(name: $0, depth: depth[$0] ?? [:], oldestAvailableRunAt: oldest[$0], pausedAt: paused[$0])
            }
        }
    }

    /// The run-at of each queue's longest-waiting available job. `jobs_available_by_queue` is ordered
    /// (queue, priority DESC, run_at, id), so each (queue, priority) pair's first entry is its oldest:
    /// a loose index scan seeks from one pair to the next, a few seeks per queue however many jobs wait.
    func oldestAvailableRunAt() throws -> [String: Int64] {
        func head(_ sql: String, _ arguments: [any SQLBindable]) throws -> (queue: String, priority: Int64, runAt: Int64)? {
            try connection.queryFirst(sql, arguments) { ($0.string(0), $0.int64(1), $0.int64(2)) }
        }
        var oldest: [String: Int64] = [:]
        var pair = try head(Self.oldestSeeks.first, [])
        while let (queue, priority, runAt) = pair {
            oldest[queue] = min(oldest[queue] ?? runAt, runAt)
            // The same queue's next lower priority, else the next queue's highest.
            pair = try head(Self.oldestSeeks.lowerPriority, [queue, priority]) ?? head(Self.oldestSeeks.nextQueue, [queue])
        }
        return oldest
    }

    /// The loose scan's three seeks, each the head of one index range.
    static let oldestSeeks: (first: String, lowerPriority: String, nextQueue: String) = {
        let columns = "SELECT queue, priority, run_at FROM jobs INDEXED BY jobs_available_by_queue WHERE state = 'available'"
        let order = "ORDER BY queue, priority DESC, run_at, id LIMIT 1"
        return ("\(columns) \(order)", "\(columns) AND queue = ? AND priority < ? \(order)", "\(columns) AND queue > ? \(order)")
    }()

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

    package static func checkQueueName(_ queue: String) throws {
        if queue.isEmpty || queue.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }) {
            throw QueueError(.invalidInput, "a queue name must be non-empty text on one line")
        }
    }
}
