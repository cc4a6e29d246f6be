import SQLiteDB

/// Which jobs a bulk action covers.
public enum JobSelection: Sendable, Equatable {
    /// These jobs (duplicates count once).
    case ids([Int64])
    /// Every job the filter matches with an id up to `upToID`: the bound the confirmation counted to
    /// (`JobCount.upToID`), so a job enqueued after the admin saw the count is never touched. The
    /// filter's `limit` does not apply.
    case matching(JobFilter, upToID: Int64)
}

/// How many jobs a filter matches, for the page that asks "act on N jobs?".
public struct JobCount: Sendable, Equatable {
    public let count: Int
    /// The highest job id counted over: pass it to `JobSelection.matching` so the action covers the
    /// jobs counted and none enqueued since.
    public let upToID: Int64

    public init(count: Int, upToID: Int64) {
        self.count = count
        self.upToID = upToID
    }
}

extension JobStore {
    /// The jobs in each bulk transaction: short enough that enqueuers and workers never wait long
    /// for the write lock, and each chunk commits whole, so a crash mid-way leaves every job either
    /// acted on or untouched.
    public static let bulkChunkSize = 500

    /// How many jobs match, with the id bound the count covers (the newest job's id when not given).
    /// Read in one transaction, so the two agree. `state=failed` counts over jobs_failed; other
    /// filters (and any search) scan.
    public func count(matching filter: JobFilter, upToID: Int64? = nil) throws -> JobCount {
        try connection.transaction(.deferred) {
            let newest = try connection.scalarInt("SELECT max(id) FROM jobs") ?? 0
            let bound = min(upToID ?? newest, newest)
            let condition = filter.conditions(upTo: bound)
            let count = try connection.scalarInt("SELECT count(*) FROM jobs \(condition.whereClause)", condition.arguments) ?? 0
            return JobCount(count: Int(count), upToID: bound)
        }
    }

    /// Calls `body` with the selection's jobs, oldest first, `chunkSize` at a time, each chunk in its
    /// own write transaction. A filter's chunk is found by a read outside the lock (a search may scan
    /// far), then its ids are checked against the filter again inside the transaction, so a job that
    /// stopped matching in between is left alone. A throw from `body` rolls back its chunk only and
    /// ends the walk; the chunks before it stay committed.
    public func forEachChunk(
        of selection: JobSelection, chunkSize: Int = JobStore.bulkChunkSize, _ body: ([Int64]) throws -> Void
    ) throws {
        try selection.walk(
            chunkSize: chunkSize,
            find: { filter, after, upToID, limit in
                let condition = filter.conditions(after: after, upTo: upToID)
                return try connection.query(
                    "SELECT id FROM jobs \(condition.whereClause) ORDER BY id LIMIT ?", condition.arguments + [limit]
                ) { $0.int64(0) }
            },
            recheck: { filter, upToID, found in
                let recheck = filter.conditions(upTo: upToID)
                return try connection.query(
                    "SELECT id FROM jobs WHERE id IN (SELECT value FROM json_each(?)) AND \(recheck.sql) ORDER BY id",
                    [Self.idList(found)] + recheck.arguments
                ) { $0.int64(0) }
            },
            transaction: { try connection.transaction(.immediate, $0) }, body)
    }

    /// Deletes one failed or cancelled job with its error history; its lasting counters stay.
    /// Refuses a pending or running job.
    public func discard(id: Int64) throws {
        try connection.transaction {
            if let refusal = try discardInTransaction(ids: [id]).first { throw refusal.error }
        }
    }

    /// Discards those of `ids` that are failed or cancelled, inside the caller's transaction; answers
    /// the others with why (missing, or still pending or running).
    package func discardInTransaction(ids: [Int64]) throws -> [DiscardRefusal] {
        var states: [Int64: String] = [:]
        _ = try connection.query(
            "SELECT id, state FROM jobs WHERE id IN (SELECT value FROM json_each(?))", [Self.idList(ids)]
        ) { states[$0.int64(0)] = $0.string(1) }
        let (deletable, refused) = DiscardRefusal.sort(ids, states: states)
        try deleteDiscardedJobs(ids: deletable)
        return refused
    }

    /// The one place a discard deletes jobs: through `deleteJobs`, which drops the per-state counts
    /// with the rows and never deletes a job outside the states given (a pending or running job is
    /// never deleted, whatever the caller checked). Their job_errors go with them by cascade; the
    /// lasting counters stay.
    func deleteDiscardedJobs(ids: [Int64]) throws {
        _ = try deleteJobs(ids: ids, inStates: [.failed, .cancelled])
    }
}
