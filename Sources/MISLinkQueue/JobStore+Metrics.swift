import SQLiteDB

extension JobStore {
    /// Writes a tally inside the caller's transaction (or savepoint, which undoes it with the rest),
    /// in one statement however many rows it has.
    func record(_ tally: JobTally) throws {
        if tally.isEmpty { return }
        try connection.run(
            """
            INSERT INTO job_counters(kind, queue, name, le, value)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?) WHERE true
            ON CONFLICT(kind, queue, name, le) DO UPDATE SET value = value + excluded.value
            """, [tally.json])
    }

    /// One counter increment, for the paths that change one job at a time.
    func count(_ name: String, kind: String, queue: String) throws {
        var tally = JobTally()
        tally.add(name, kind: kind, queue: queue)
        try record(tally)
    }

    /// The lasting totals and histogram buckets (a few rows per kind and queue), and the jobs now
    /// pending or failed by kind and queue, each read from its partial index: never a scan of the
    /// finished jobs. One read transaction, so the figures agree with each other.
    public func jobMetrics() throws -> JobMetrics {
        if connection.isInTransaction { return try readJobMetrics() }  // the caller's read (a whole scrape)
        return try connection.transaction(.deferred) { try readJobMetrics() }
    }

    private func readJobMetrics() throws -> JobMetrics {
        let indexes = [
            "SELECT state, kind, queue, count(*) FROM jobs INDEXED BY jobs_available WHERE state = 'available' GROUP BY kind, queue",
            "SELECT state, kind, queue, count(*) FROM jobs INDEXED BY jobs_waiting WHERE state IN ('scheduled', 'retryable') GROUP BY state, kind, queue",
            "SELECT state, kind, queue, count(*) FROM jobs INDEXED BY jobs_running WHERE state = 'running' GROUP BY kind, queue",
            "SELECT state, kind, queue, count(*) FROM jobs INDEXED BY jobs_failed WHERE state = 'failed' GROUP BY kind, queue",
        ]
        var states: [JobMetrics.StateCount] = []
        for sql in indexes {
            states += try connection.query(sql) {
                JobMetrics.StateCount(state: JobState(rawValue: $0.string(0)) ?? .failed, kind: $0.string(1), queue: $0.string(2), count: $0.int(3))
            }
        }
        var counters: [JobMetrics.Counter] = []
        var buckets: [JobMetrics.Bucket] = []
        _ = try connection.query("SELECT kind, queue, name, le, value FROM job_counters ORDER BY kind, queue, name, le") { row in
            let le = row.int64(3)
            if le == JobMetrics.plainCounter {
                counters.append(JobMetrics.Counter(kind: row.string(0), queue: row.string(1), name: row.string(2), value: row.int64(4)))
            } else {
                buckets.append(
                    JobMetrics.Bucket(kind: row.string(0), queue: row.string(1), metric: row.string(2), le: le, count: row.int64(4)))
            }
        }
        return JobMetrics(counters: counters, buckets: buckets, states: states)
    }
}
