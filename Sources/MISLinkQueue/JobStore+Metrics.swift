import SQLiteDB

extension JobStore {
    /// Writes a tally inside the caller's transaction (or savepoint, which undoes it with the rest).
    /// Rows are bound into one multi-row UPSERT per 16 (so at most 16 statement texts are cached):
    /// the plain-success path's commit pays one statement and one page more than before counters.
    func record(_ tally: JobTally) throws {
        let rows = tally.rows
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + 16, rows.count)]
            try connection.withStatement(Self.upsertSQL(rows: chunk.count)) { statement in
                var column: Int32 = 1
                for row in chunk {
                    try statement.bind(.text(row.kind), at: column)
                    try statement.bind(.text(row.queue), at: column + 1)
                    try statement.bind(.text(row.name), at: column + 2)
                    try statement.bind(.integer(row.le), at: column + 3)
                    try statement.bind(.integer(row.value), at: column + 4)
                    column += 5
                }
                while try statement.step() {}
            }
            start += 16
        }
    }

    private static let upsertSQLs: [String] = (1...16).map { count in
        "INSERT INTO job_counters(kind, queue, name, le, value) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?)", count: count).joined(separator: ", ")
            + " ON CONFLICT(kind, queue, name, le) DO UPDATE SET value = value + excluded.value"
    }

    private static func upsertSQL(rows: Int) -> String { upsertSQLs[rows - 1] }

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
            // A state this build does not know is skipped, never counted as another.
            states += try connection.query(sql) { row -> JobMetrics.StateCount? in
                JobState(rawValue: row.string(0)).map {
                    JobMetrics.StateCount(state: $0, kind: row.string(1), queue: row.string(2), count: row.int(3))
                }
            }.compactMap { $0 }
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
