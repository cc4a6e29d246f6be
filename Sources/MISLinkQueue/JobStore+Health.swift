import SQLiteDB

/// What `mislink doctor` asks of the queue.
extension JobStore {
    /// The queue schema's version in the file, and the newest this build knows.
    public func schemaVersion() throws -> (found: Int, latest: Int) {
        (Int(try connection.scalarInt("PRAGMA user_version") ?? 0), QueueSchema.migrator.latestVersion)
    }

    /// "ok", or SQLite's list of problems.
    public func integrityCheck() throws -> [String] { try connection.integrityCheck() }

    /// Running jobs whose lease holder is not a registered worker: they wait for a rescue by the next
    /// worker that starts (at once on this host, after the lease elsewhere).
    public func runningWithoutWorker() throws -> Int {
        Int(
            try connection.scalarInt(
                "SELECT count(*) FROM jobs INDEXED BY jobs_running WHERE state = 'running' AND lease_owner NOT IN (SELECT id FROM workers)")
                ?? 0)
    }

    /// Copies the queue's file, sync tables and all, to a new file (SQLite's online backup).
    public func backup(to path: String) throws { try connection.backup(to: path) }
}
