import SQLiteDB

/// Checking and repairing the state counters against the jobs themselves: rare, so these may scan.
extension JobStore {
    /// Every kind, queue and state whose counter disagrees with a count of the jobs (a zero counter
    /// and no jobs agree), read in one transaction. Scans the jobs: for `mislink doctor`, not a page.
    public func jobCountDrift() throws -> [JobCountDrift] {
        try reading { try driftInTransaction() }
    }

    /// Rebuilds the state counters from the jobs, in one transaction (safe while workers run: they
    /// wait for it). Answers how many kind, queue and state counts were wrong.
    @discardableResult
    public func recountStates() throws -> Int {
        try connection.transaction {
            let drift = try driftInTransaction()
            try connection.run("DELETE FROM job_counters WHERE name >= 'state:' AND name < 'state;' AND le = -1")
            try connection.run(
                """
                INSERT INTO job_counters(kind, queue, name, le, value)
                SELECT kind, queue, 'state:' || state, -1, count(*) FROM jobs GROUP BY kind, queue, state
                """)
            return drift.count
        }
    }

    private func driftInTransaction() throws -> [JobCountDrift] {
        struct Key: Hashable {
            let kind: String
            let queue: String
            let state: JobState
        }
        var actual: [Key: Int] = [:]
        _ = try connection.query("SELECT kind, queue, state, count(*) FROM jobs GROUP BY kind, queue, state") { row in
            if let state = JobState(rawValue: row.string(2)) {
                actual[Key(kind: row.string(0), queue: row.string(1), state: state)] = row.int(3)
            }
        }
        var counted: [Key: Int] = [:]
        for row in try countedStates() { counted[Key(kind: row.kind, queue: row.queue, state: row.state)] = row.count }
        return Set(actual.keys).union(counted.keys)
            .filter { actual[$0] != counted[$0] }
            .sorted { ($0.kind, $0.queue, $0.state.counterSlot) < ($1.kind, $1.queue, $1.state.counterSlot) }
            .map { JobCountDrift(kind: $0.kind, queue: $0.queue, state: $0.state, counted: counted[$0] ?? 0, actual: actual[$0] ?? 0) }
    }
}
