import SQLiteDB

extension JobStore {
    /// Writes a tally inside the caller's transaction (or savepoint, which undoes it with the rest).
    /// Rows are bound into one multi-row UPSERT per 16 (so at most 16 statement texts are cached):
    /// a worker's exchange pays one statement for its counters and one per hour and kind that jobs
    /// ended in (nearly always one).
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
        for bucket in tally.activity { try recordActivity(bucket) }
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
    /// pending or failed by kind and queue, all from `job_counters`: never a count of the jobs. One
    /// read transaction, so the figures agree with each other.
    public func jobMetrics() throws -> JobMetrics {
        try reading {
            var counters: [JobMetrics.Counter] = []
            var buckets: [JobMetrics.Bucket] = []
            var states: [JobMetrics.StateCount] = []
            _ = try connection.query("SELECT kind, queue, name, le, value FROM job_counters ORDER BY kind, queue, name, le") { row in
                let le = row.int64(3), name = row.string(2)
                if le != JobMetrics.plainCounter {
                    buckets.append(
                        JobMetrics.Bucket(kind: row.string(0), queue: row.string(1), metric: name, le: le, count: row.int64(4)))
                } else if name.hasPrefix(JobMetrics.stateCounterPrefix) {
                    // A state this build does not know is skipped, never counted as another.
                    guard let state = JobMetrics.countedState(name), JobMetrics.currentStates.contains(state), row.int64(4) != 0
                    else { return }
                    states.append(JobMetrics.StateCount(state: state, kind: row.string(0), queue: row.string(1), count: row.int(4)))
                } else {
                    counters.append(JobMetrics.Counter(kind: row.string(0), queue: row.string(1), name: name, value: row.int64(4)))
                }
            }
            return JobMetrics(counters: counters, buckets: buckets, states: states)
        }
    }

    /// The jobs now in each state, from the state counters (a handful of rows): the jobs page's tab
    /// counts. Every state is present, 0 when none; `kind` and `queue` narrow it (nil: all).
    public func stateCounts(kind: String? = nil, queue: String? = nil) throws -> [JobState: Int] {
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        for row in try countedStates(kind: kind, queue: queue) { counts[row.state, default: 0] += row.count }
        return counts
    }

    /// The state counters that are not zero, by kind, queue and state: the rows, not the jobs.
    func countedStates(kind: String? = nil, queue: String? = nil) throws -> [JobMetrics.StateCount] {
        // The range on name keeps to the state rows; with a kind, the primary key's prefix narrows it.
        try connection.query(
            """
            SELECT kind, queue, name, value FROM job_counters
            WHERE name >= 'state:' AND name < 'state;' AND le = -1 AND value != 0
                AND (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR queue = ?2)
            """, [kind, queue]
        ) { row -> JobMetrics.StateCount? in
            JobMetrics.countedState(row.string(2)).map {
                JobMetrics.StateCount(state: $0, kind: row.string(0), queue: row.string(1), count: row.int(3))
            }
        }.compactMap { $0 }
    }
}
