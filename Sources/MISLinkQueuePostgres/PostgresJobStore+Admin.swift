import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    public func pauseQueue(_ queue: String) throws -> Bool {
        try JobStore.checkQueueName(queue)
        return try writing {
            try connection.execute(
                "INSERT INTO queue_pauses (queue, paused_at) VALUES ($1, mislink_now_ms()) ON CONFLICT DO NOTHING", [queue]
            ).affectedRows == 1
        }
    }

    public func resumeQueue(_ queue: String) throws -> Bool {
        try JobStore.checkQueueName(queue)
        return try writing { try connection.execute("DELETE FROM queue_pauses WHERE queue = $1", [queue]).affectedRows == 1 }
    }

    /// Cancels a waiting job at once (its history says an admin did); a running one is flagged, so
    /// its worker hears of it at its next lease renewal and its outcome lands as cancelled.
    public func cancelJob(id: Int64) throws -> CancelResult {
        try writing {
            guard let row = try connection.execute("SELECT state, kind, queue FROM jobs WHERE id = $1 FOR UPDATE", [id]).rows.first
            else {
                throw QueueError(.notFound, "job \(id) does not exist")
            }
            let state = try row.string(0)
            switch JobState(rawValue: state) {
            case .scheduled, .available, .retryable:
                try connection.execute(
                    """
                    INSERT INTO job_errors (job_id, attempt, at, message)
                    SELECT id, attempt, mislink_now_ms(), 'cancelled by an admin' FROM jobs WHERE id = $1
                    """, [id])
                try connection.execute(
                    """
                    UPDATE jobs SET state = 'cancelled', finished_at = mislink_now_ms(), last_error = 'cancelled by an admin'
                    WHERE id = $1
                    """, [id])
                var tally = JobTally()
                tally.add(JobMetrics.cancelled, kind: try row.string(1), queue: try row.string(2))
                try record(tally)
                return .cancelled
            case .running:
                try connection.execute("UPDATE jobs SET cancel_requested = true WHERE id = $1", [id])
                return .requested
            default:
                throw QueueError(.invalidState, "job \(id) is already \(state); only unfinished jobs can be cancelled")
            }
        }
    }
}
