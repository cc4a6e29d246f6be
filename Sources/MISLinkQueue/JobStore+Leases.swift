import SQLiteDB

extension JobStore {
    /// What a heartbeat learned: jobs of this worker that an admin asked to cancel.
    public struct Heartbeat: Sendable, Equatable {
        public let cancelRequested: [Int64]
    }

    /// Extends the leases of every job this worker runs and records that it is alive.
    public func heartbeat(workerID: String, leaseMilliseconds: Int64, now: Int64 = JobStore.now()) throws -> Heartbeat {
        try connection.transaction {
            try connection.run(
                "UPDATE jobs SET lease_expires_at = ? WHERE state = 'running' AND lease_owner = ?",
                [now + leaseMilliseconds, workerID])
            try connection.run("UPDATE workers SET heartbeat_at = ? WHERE id = ?", [now, workerID])
            let cancelled = try connection.query(
                "SELECT id FROM jobs WHERE state = 'running' AND lease_owner = ? AND cancel_requested = 1", [workerID]
            ) { $0.int64(0) }
            return Heartbeat(cancelRequested: cancelled)
        }
    }

    /// Rescues running jobs whose lease has expired: their worker stopped heartbeating.
    @discardableResult
    public func rescueExpiredLeases(now: Int64 = JobStore.now()) throws -> Int {
        try connection.transaction {
            let expired = try connection.query(
                "SELECT id, lease_owner FROM jobs WHERE state = 'running' AND lease_expires_at < ?", [now]
            ) { ($0.int64(0), $0.string(1)) }
            var tally = JobTally()
            for (id, owner) in expired {
                try rescue(
                    id: id, owner: owner, reason: "its lease expired (worker \(owner) stopped heartbeating)", now: now, tally: &tally)
            }
            try record(tally)
            return expired.count
        }
    }

    /// Rescues every job a worker holds, at once: the caller knows the worker's process is gone.
    @discardableResult
    public func rescueJobs(ofWorker worker: WorkerRecord, reason: String, now: Int64 = JobStore.now()) throws -> Int {
        try connection.transaction {
            let held = try connection.query(
                "SELECT id FROM jobs WHERE state = 'running' AND lease_owner = ?", [worker.id]
            ) { $0.int64(0) }
            var tally = JobTally()
            for id in held {
                try rescue(id: id, owner: worker.id, reason: reason, now: now, tally: &tally)
            }
            try record(tally)
            try connection.run("DELETE FROM workers WHERE id = ?", [worker.id])
            return held.count
        }
    }

    /// A run that ended without a report counts as a failed attempt: retried at once while attempts
    /// remain, failed after the last one (a job that keeps killing its worker is a poison job).
    private func rescue(id: Int64, owner: String, reason: String, now: Int64, tally: inout JobTally) throws {
        guard let job = try runningJob(id: id, leaseOwner: owner) else { return }
        let message = "attempt \(job.attempt) did not finish: \(reason)"
        let final = job.attempt >= job.maxAttempts
            ? "\(message); the job ended its worker's run \(job.maxAttempts) time(s) without finishing (possible poison job)"
            : message
        try settleFailedAttempt(job, message: final, retryAt: now, cause: .abandoned, now: now, tally: &tally)
        tally.add(JobMetrics.rescued, kind: job.kind, queue: job.queue)
    }

    // MARK: - Worker registry

    public func registerWorker(_ worker: WorkerRecord) throws {
        try connection.transaction {
            try connection.run(
                """
                INSERT OR REPLACE INTO workers(id, host, pid, process_start, queues, concurrency, started_at, heartbeat_at, lease_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    worker.id, worker.host, Int(worker.pid), worker.processStart,
                    worker.queues?.joined(separator: ",") ?? "*", worker.concurrency, worker.startedAt,
                    worker.heartbeatAt, worker.leaseMilliseconds,
                ])
        }
    }

    public func deregisterWorker(id: String) throws {
        try connection.transaction { try connection.run("DELETE FROM workers WHERE id = ?", [id]) }
    }

    /// Registered workers with the number of jobs each holds.
    public func workers() throws -> [WorkerRecord] {
        try connection.query(
            """
            SELECT w.id, w.host, w.pid, w.process_start, w.queues, w.concurrency, w.started_at, w.heartbeat_at, w.lease_ms,
                (SELECT count(*) FROM jobs j WHERE j.state = 'running' AND j.lease_owner = w.id)
            FROM workers w ORDER BY w.started_at, w.id
            """
        ) { row in
            let queues = row.string(4)
            var record = WorkerRecord(
                id: row.string(0), host: row.string(1), pid: Int32(row.int(2)), processStart: row.optionalString(3),
                queues: queues == "*" ? nil : queues.split(separator: ",").map(String.init),
                concurrency: row.int(5), startedAt: row.int64(6), heartbeatAt: row.int64(7),
                leaseMilliseconds: row.int64(8))
            record.runningJobs = row.int(9)
            return record
        }
    }

    /// Forgets workers that stopped heartbeating long ago (their jobs are rescued by lease expiry).
    public func forgetSilentWorkers(olderThan cutoff: Int64) throws {
        try connection.transaction {
            try connection.run(
                """
                DELETE FROM workers WHERE heartbeat_at < ?
                AND NOT EXISTS (SELECT 1 FROM jobs WHERE state = 'running' AND lease_owner = workers.id)
                """, [cutoff])
        }
    }
}
