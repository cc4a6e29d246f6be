import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// Registers (or registers again) a worker; its heartbeat is the database's clock now.
    public func registerWorker(_ worker: WorkerRecord) throws {
        try writing {
            try connection.execute(
                """
                INSERT INTO workers (id, host, pid, process_start, queues, concurrency, started_at, heartbeat_at, lease_ms)
                VALUES ($1, $2, $3, $4, $5, $6, $7, mislink_now_ms(), $8)
                ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, process_start = EXCLUDED.process_start,
                    queues = EXCLUDED.queues, concurrency = EXCLUDED.concurrency, started_at = EXCLUDED.started_at,
                    heartbeat_at = EXCLUDED.heartbeat_at, lease_ms = EXCLUDED.lease_ms
                """,
                [
                    worker.id, worker.host, worker.pid, worker.processStart, worker.queues?.joined(separator: ",") ?? "*",
                    worker.concurrency, worker.startedAt, worker.leaseMilliseconds,
                ])
        }
    }

    public func deregisterWorker(id: String) throws {
        try writing { try connection.execute("DELETE FROM workers WHERE id = $1", [id]) }
    }

    /// Registered workers with the number of jobs each holds.
    public func workers() throws -> [WorkerRecord] {
        try connection.execute(
            """
            SELECT w.id, w.host, w.pid, w.process_start, w.queues, w.concurrency, w.started_at, w.heartbeat_at, w.lease_ms,
                (SELECT count(*) FROM jobs j WHERE j.state = 'running' AND j.lease_owner = w.id)
            FROM workers w ORDER BY w.started_at, w.id
            """
        ).rows.map { row in
            let queues = try row.string(4)
            var record = WorkerRecord(
                id: try row.string(0), host: try row.string(1), pid: Int32(try row.int64(2)), processStart: try row.optionalString(3),
                queues: queues == "*" ? nil : queues.split(separator: ",").map(String.init), concurrency: Int(try row.int64(5)),
                startedAt: try row.int64(6), heartbeatAt: try row.int64(7), leaseMilliseconds: try row.int64(8))
            record.runningJobs = Int(try row.int64(9))
            return record
        }
    }

    /// Forgets workers silent for `milliseconds` by the database's clock that hold no job.
    public func forgetWorkers(silentFor milliseconds: Int64) throws {
        try writing {
            try connection.execute(
                """
                DELETE FROM workers WHERE heartbeat_at < mislink_now_ms() - $1
                AND NOT EXISTS (SELECT 1 FROM jobs WHERE state = 'running' AND lease_owner = workers.id)
                """, [milliseconds])
        }
    }

    /// Whether a job is available or waiting to be retried in `queues` (nil: all) that are not paused.
    public func hasRunnableWork(queues: [String]?) throws -> Bool {
        // One EXISTS per state, each on its partial index (an IN of both would scan the table).
        var filter = "AND queue NOT IN (SELECT queue FROM queue_pauses)"
        var arguments: [any PostgresBindable] = []
        if let queues, !queues.isEmpty {
            filter += " AND queue = ANY($1::text[])"
            arguments = [PostgresValue.textArray(queues)]
        }
        return try connection.execute(
            """
            SELECT EXISTS (SELECT 1 FROM jobs WHERE state = 'available' \(filter))
                OR EXISTS (SELECT 1 FROM jobs WHERE state = 'retryable' \(filter))
            """, arguments
        ).rows.first?.bool(0) ?? false
    }

    /// Records a running job's progress while `workerID` still holds it.
    public func setProgress(id: Int64, workerID: String, progress: String) throws {
        try writing {
            try connection.execute(
                "UPDATE jobs SET progress = $3 WHERE id = $1 AND state = 'running' AND lease_owner = $2", [id, workerID, progress])
        }
    }
}
