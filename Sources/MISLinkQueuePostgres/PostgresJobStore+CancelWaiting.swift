import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// `QueueTransaction.cancelWaiting` on PostgreSQL: one statement, on the database's clock, in
    /// the caller's transaction. The row is locked by the UPDATE, so a claim running at the same
    /// moment either took the job first (it is running: left alone) or finds it cancelled.
    static func cancelWaiting(_ jobID: Int64, reason: String, on connection: PostgresConnection) throws -> Bool {
        guard
            let row = try connection.execute(
                """
                WITH cancelled AS (
                    UPDATE jobs SET state = 'cancelled', finished_at = mislink_now_ms(), last_error = $2
                    WHERE id = $1 AND state IN ('scheduled', 'available', 'retryable')
                    RETURNING id, attempt, kind, queue
                ), history AS (
                    INSERT INTO job_errors (job_id, attempt, at, message)
                    SELECT id, attempt, mislink_now_ms(), $2 FROM cancelled
                )
                SELECT kind, queue FROM cancelled
                """, [jobID, reason]
            ).rows.first
        else { return false }
        var tally = JobTally()
        tally.add(JobMetrics.cancelled, kind: try row.string(0), queue: try row.string(1))
        try record(tally, on: connection)
        return true
    }
}
