import SQLiteDB

/// The SQLite store as a `QueueAdminBackend`: its own admin methods, each joining the caller's
/// transaction when one is open (SQLite's transactions do not nest).
extension JobStore: QueueAdminBackend {
    public var transactionHandle: any QueueTransaction { connection }

    public func inReadTransaction<T>(_ body: () throws -> T) throws -> T { try reading(body) }

    public func retryJob(id: Int64, extraAttempts: Int, now: Int64) throws {
        try joining { try retryInTransaction(id: id, extraAttempts: extraAttempts, now: now) }
    }

    public func discardJobs(ids: [Int64]) throws -> [DiscardRefusal] {
        try joining { try discardInTransaction(ids: ids) }
    }

    public func pruneJobs(olderThan milliseconds: Int64, now: Int64) throws -> Int {
        try prune(finishedBefore: now - milliseconds, now: now)
    }

    /// `body` in the caller's transaction, or in one of its own.
    private func joining<T>(_ body: () throws -> T) throws -> T {
        if connection.isInTransaction { return try body() }
        return try connection.transaction(.immediate, body)
    }
}
