import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// Extends, by the database's clock, the leases of every job this worker runs; answers those an
    /// admin asked to cancel.
    public func renewLeases(workerID: String, leaseMilliseconds: Int64) throws -> JobStore.Heartbeat {
        try writing {
            let rows = try connection.execute(
                """
                UPDATE jobs SET lease_expires_at = mislink_now_ms() + $2 WHERE state = 'running' AND lease_owner = $1
                RETURNING id, cancel_requested
                """, [workerID, leaseMilliseconds]
            ).rows
            try connection.execute("UPDATE workers SET heartbeat_at = mislink_now_ms() WHERE id = $1", [workerID])
            return JobStore.Heartbeat.backend(cancelRequested: try rows.filter { try $0.bool(1) }.map { try $0.int64(0) }.sorted())
        }
    }

    /// Rescues running jobs whose lease expired by the database's clock: retried at once while
    /// attempts remain, failed after the last. Rows another process is rescuing are skipped, so any
    /// number of processes may run this at once and each job is rescued once.
    @discardableResult
    public func rescueExpired() throws -> Int {
        try writing {
            try rescue(
                """
                SELECT id, lease_owner, attempt, max_attempts, kind, queue FROM jobs
                WHERE state = 'running' AND lease_expires_at < mislink_now_ms()
                ORDER BY id FOR UPDATE SKIP LOCKED
                """, [], reason: { "its lease expired (worker \($0) stopped heartbeating)" })
        }
    }

    /// Rescues every job `worker` holds, at once, and forgets it: the caller knows its process is gone.
    @discardableResult
    public func rescueJobs(heldBy worker: WorkerRecord, reason: String) throws -> Int {
        try writing {
            let count = try rescue(
                """
                SELECT id, lease_owner, attempt, max_attempts, kind, queue FROM jobs
                WHERE state = 'running' AND lease_owner = $1
                ORDER BY id FOR UPDATE SKIP LOCKED
                """, [worker.id], reason: { _ in reason })
            try connection.execute("DELETE FROM workers WHERE id = $1", [worker.id])
            return count
        }
    }

    /// A run that ended without a report counts as a failed attempt: retried at once while attempts
    /// remain, failed after the last (a job that keeps killing its worker is a poison job).
    /// `select` returns each running job's id, owner, attempt, attempts, kind and queue, locked.
    private func rescue(_ select: String, _ arguments: [any PostgresBindable], reason: (String) -> String) throws -> Int {
        let held = try connection.execute(select, arguments).rows
        var tally = JobTally()
        for row in held {
            let owner = try row.string(1)
            let attempt = try row.int64(2)
            let maxAttempts = try row.int64(3)
            var message = "attempt \(attempt) did not finish: \(reason(owner))"
            if attempt >= maxAttempts {
                message += "; the job ended its worker's run \(maxAttempts) time(s) without finishing (possible poison job)"
            }
            let settled = try settleFailedAttempt(
                id: try row.int64(0), owner: owner, message: message, retryIn: 0, cancel: false, cause: .abandoned, tally: &tally)
            if settled != nil { tally.add(JobMetrics.rescued, kind: try row.string(4), queue: try row.string(5)) }
        }
        try record(tally)
        return held.count
    }
}
