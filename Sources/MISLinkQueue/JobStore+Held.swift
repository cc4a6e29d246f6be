import SQLiteDB

extension JobStore {
    /// Every running job with its worker, from the jobs_running index: as many rows as jobs run
    /// right now, however long the queue.
    public func heldJobs() throws -> [HeldJob] {
        try connection.query(
            """
            SELECT id, kind, queue, integration, lease_owner, attempt, started_at, lease_expires_at, cancel_requested
            FROM jobs INDEXED BY jobs_running WHERE state = 'running' ORDER BY lease_owner, id
            """
        ) {
            HeldJob(
                id: $0.int64(0), kind: $0.string(1), queue: $0.string(2), integration: $0.optionalString(3),
                workerID: $0.optionalString(4) ?? "", attempt: $0.int(5), startedAt: $0.optionalInt64(6),
                leaseExpiresAt: $0.optionalInt64(7), cancelRequested: $0.int(8) != 0)
        }
    }
}
