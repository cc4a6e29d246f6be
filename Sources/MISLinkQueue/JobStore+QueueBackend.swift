import SQLiteDB

/// The SQLite store as a `QueueBackend`: thin forwarding to its own methods, on the process's clock.
extension JobStore: QueueBackend {
    public func enqueue(jobs: [NewJob]) throws -> [EnqueueResult] {
        // Inside the caller's transaction the rows join it; on its own, one transaction for the batch.
        if connection.isInTransaction { return try jobs.map { try insert($0, now: backendClock()) } }
        return try enqueue(batch: jobs, now: backendClock())
    }

    public func exchange(_ request: ExchangeRequest) throws -> Exchange {
        try exchange(
            completions: request.completions, workerID: request.workerID, claim: request.limit, queues: request.queues,
            excludingQueues: request.excludingQueues, leaseMilliseconds: request.leaseMilliseconds, now: request.workerNow)
    }

    public func pauseQueue(_ queue: String) throws -> Bool {
        try pause(queue: queue, now: backendClock())
    }

    public func resumeQueue(_ queue: String) throws -> Bool {
        try resume(queue: queue)
    }

    public func renewLeases(workerID: String, leaseMilliseconds: Int64) throws -> Heartbeat {
        try heartbeat(workerID: workerID, leaseMilliseconds: leaseMilliseconds, now: backendClock())
    }

    /// Joins the caller's transaction (a bulk cancel's chunk) when one is open.
    public func cancelJob(id: Int64) throws -> CancelResult {
        if connection.isInTransaction { return try cancelInTransaction(id: id, now: backendClock()) }
        return try cancel(id: id, now: backendClock())
    }

    public func rescueExpired() throws -> Int {
        try rescueExpiredLeases(now: backendClock())
    }

    public func rescueJobs(heldBy worker: WorkerRecord, reason: String) throws -> Int {
        try rescueJobs(ofWorker: worker, reason: reason, now: backendClock())
    }

    public func forgetWorkers(silentFor milliseconds: Int64) throws {
        try forgetSilentWorkers(olderThan: backendClock() - milliseconds)
    }

    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(.immediate, body)
    }
}
