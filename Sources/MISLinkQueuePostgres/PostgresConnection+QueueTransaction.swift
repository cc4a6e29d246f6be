import MISLinkQueue
import PostgresDB

/// A PostgreSQL completion's transaction, as bookkeeping sees it.
extension PostgresConnection: QueueTransaction {
    public var queueBackendName: String { "PostgreSQL" }
    public var portableSQL: any PortableSQL { PostgresPortableSQL(self) }

    public func enqueue(_ job: NewJob, now: Int64) throws -> EnqueueResult {
        try PostgresJobStore.enqueue(job, inTransactionOn: self)
    }

    public func cancelWaiting(_ jobID: Int64, reason: String, now: Int64) throws -> Bool {
        try PostgresJobStore.cancelWaiting(jobID, reason: reason, on: self)
    }
}
