import MISLinkQueue
import PostgresDB

// STUB (being written): the admin's reads and bulk writes on PostgreSQL.
extension PostgresJobStore: QueueAdminBackend {
    public var transactionHandle: any QueueTransaction { connection }

    /// One snapshot (REPEATABLE READ): figures read together agree, as SQLite's read transaction.
    public func inReadTransaction<T>(_ body: () throws -> T) throws -> T {
        if connection.isInTransaction { return try body() }
        return try connection.transaction(isolation: .repeatableRead, retries: retries, body)
    }

    public func jobs(matching filter: JobFilter) throws -> [Job] { throw Self.notYet("jobs") }
    public func count(matching filter: JobFilter, upToID: Int64?) throws -> JobCount { throw Self.notYet("count") }
    public func forEachChunk(of selection: JobSelection, chunkSize: Int, _ body: ([Int64]) throws -> Void) throws {
        throw Self.notYet("bulk actions")
    }
    public func retryJob(id: Int64, extraAttempts: Int, now: Int64) throws { throw Self.notYet("retry") }
    public func discardJobs(ids: [Int64]) throws -> [DiscardRefusal] { throw Self.notYet("discard") }
    public func pruneJobs(olderThan milliseconds: Int64, now: Int64) throws -> Int { throw Self.notYet("prune") }
    public func stats() throws -> QueueStats { throw Self.notYet("stats") }
    public func heldJobs() throws -> [HeldJob] { throw Self.notYet("held jobs") }
    public func queueSummaries(using metrics: JobMetrics?) throws -> [QueueSummary] { throw Self.notYet("queues") }
    public func stateCounts(kind: String?, queue: String?) throws -> [JobState: Int] { throw Self.notYet("state counts") }

    static func notYet(_ what: String) -> QueueError { QueueError(.invalidState, "\(what) is not on PostgreSQL yet") }
}
