import SQLiteDB

/// The open transaction a completion's bookkeeping runs in, whatever the back end: SQLite's
/// `Connection` or PostgreSQL's `PostgresConnection` (conformed in MISLinkQueuePostgres). A marker:
/// bookkeeping that knows its store's back end casts it to the connection it expects, in one place,
/// and names the mismatch in an error rather than writing elsewhere.
public protocol QueueTransaction: AnyObject {
    /// What the back end is, for that error: "SQLite", "PostgreSQL".
    var queueBackendName: String { get }
    /// The same transaction as a `PortableSQL`, for stores written once for every back end.
    var portableSQL: any PortableSQL { get }
    /// Enqueues a job in this transaction (a follow-up of the job completing): it exists, and wakes
    /// workers, only if the transaction commits. `now` is the caller's clock, for a back end that
    /// keeps no clock of its own.
    func enqueue(_ job: NewJob, now: Int64) throws -> EnqueueResult
    /// Cancels a job that waits (scheduled, available or retryable) in this transaction, `reason` in
    /// its history; answers false, changing nothing, for one that runs, has finished or is gone (a
    /// follow-up an import had scheduled and a later one calls off).
    func cancelWaiting(_ jobID: Int64, reason: String, now: Int64) throws -> Bool
}

extension Connection: QueueTransaction {
    public var queueBackendName: String { "SQLite" }
    public var portableSQL: any PortableSQL { SQLitePortableSQL(self) }

    public func enqueue(_ job: NewJob, now: Int64) throws -> EnqueueResult { try JobStore.enqueue(job, on: self, now: now) }

    public func cancelWaiting(_ jobID: Int64, reason: String, now: Int64) throws -> Bool {
        try JobStore(existing: self).cancelWaiting(id: jobID, reason: reason, now: now)
    }
}
