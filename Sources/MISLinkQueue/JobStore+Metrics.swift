import SQLiteDB

extension JobStore {
    /// Writes a tally inside the caller's transaction (or savepoint, which undoes it with the rest):
    /// one statement for the counters and one for the buckets, however many rows each has.
    func record(_ tally: JobTally) throws {
        if !tally.counters.isEmpty {
            try connection.run(
                """
                INSERT INTO job_counters(kind, queue, name, value)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?) WHERE true
                ON CONFLICT(kind, queue, name) DO UPDATE SET value = value + excluded.value
                """, [tally.countersJSON])
        }
        if !tally.buckets.isEmpty {
            try connection.run(
                """
                INSERT INTO job_histograms(kind, queue, metric, le, count)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?) WHERE true
                ON CONFLICT(kind, queue, metric, le) DO UPDATE SET count = count + excluded.count
                """, [tally.bucketsJSON])
        }
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
        let counters = try connection.query("SELECT kind, queue, name, value FROM job_counters ORDER BY kind, queue, name") {
            JobMetrics.Counter(kind: $0.string(0), queue: $0.string(1), name: $0.string(2), value: $0.int64(3))
        }
        let buckets = try connection.query(
            "SELECT kind, queue, metric, le, count FROM job_histograms ORDER BY kind, queue, metric, le"
        ) { JobMetrics.Bucket(kind: $0.string(0), queue: $0.string(1), metric: $0.string(2), le: $0.int64(3), count: $0.int64(4)) }
        return JobMetrics(counters: counters, buckets: buckets, states: states)
    }
}
