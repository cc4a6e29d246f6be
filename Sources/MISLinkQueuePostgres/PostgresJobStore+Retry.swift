import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// Puts a failed or cancelled job back to `available` now (the database's clock) with
    /// `extraAttempts` more attempts, its error history kept, as `JobStore.retry`: in the caller's
    /// transaction or one of its own, waking its queue's workers when that commits. Refuses a missing
    /// job, another state, and a job whose unique key another pending or running job holds (naming
    /// it). `now` is unused: the server's clock decides.
    public func retryJob(id: Int64, extraAttempts: Int, now: Int64) throws {
        try writing {
            // Locked, so a concurrent retry or discard of the same job waits and then sees this one's outcome.
            guard
                let row = try connection.execute(
                    "SELECT state, queue, unique_key FROM jobs WHERE id = $1 FOR UPDATE", [id]
                ).rows.first
            else { throw QueueError(.notFound, "job \(id) does not exist") }
            let state = try row.string(0)
            guard state == JobState.failed.rawValue || state == JobState.cancelled.rawValue else {
                throw QueueError(.invalidState, "job \(id) is \(state); only failed or cancelled jobs can be retried")
            }
            if let key = try row.optionalString(2), let holder = try uniqueKeyHolder(key, other: id) {
                throw Self.uniqueConflict(id, holder: "job \(holder)")
            }
            do {
                try connection.execute(
                    """
                    UPDATE jobs SET state = 'available', run_at = mislink_now_ms(), max_attempts = attempt + $2, finished_at = NULL,
                        cancel_requested = false, lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = $1
                    """, [id, max(1, extraAttempts)])
            } catch let error as PostgresError where error.isUniqueViolation {
                // A holder enqueued since the check above, committed while this UPDATE waited on the index.
                throw Self.uniqueConflict(id, holder: "another job")
            }
            try connection.notify(PostgresQueueSchema.channel, payload: try row.string(1))
        }
    }

    /// The pending or running job other than `other` that holds `key`, through jobs_unique_pending.
    private func uniqueKeyHolder(_ key: String, other: Int64) throws -> Int64? {
        try connection.execute(
            """
            SELECT id FROM jobs WHERE unique_key = $1 AND id <> $2
                AND state IN ('scheduled', 'available', 'running', 'retryable')
            """, [key, other]
        ).rows.first?.int64(0)
    }

    private static func uniqueConflict(_ id: Int64, holder: String) -> QueueError {
        QueueError(.uniqueConflict, "job \(id) cannot be retried: \(holder) with the same unique key is already pending")
    }
}
