import MISLinkQueue
import PostgresDB

/// The admin's reads on PostgreSQL, matching `JobStore`'s: the list and the count. The bulk writes
/// are in +Bulk and +Retry, the counts by state in +Counts.
extension PostgresJobStore: QueueAdminBackend {
    public var transactionHandle: any QueueTransaction { connection }

    /// One snapshot (REPEATABLE READ): figures read together agree, as SQLite's read transaction.
    public func inReadTransaction<T>(_ body: () throws -> T) throws -> T {
        if connection.isInTransaction { return try body() }
        return try connection.transaction(isolation: .repeatableRead, retries: retries, body)
    }

    /// Newest first: the first page of `jobPage(matching:)`, with error histories.
    public func jobs(matching filter: JobFilter) throws -> [Job] {
        try jobPage(matching: filter).jobs
    }

    /// How many jobs match, with the id bound the count covers (the newest job's id when not given,
    /// never above it). One statement, so the bound and the count come from one snapshot even inside
    /// a caller's READ COMMITTED transaction. Costs what the filter's WHERE costs: `state=failed`
    /// counts over jobs_failed, a pending state over its partial index, other filters scan.
    public func count(matching filter: JobFilter, upToID: Int64?) throws -> JobCount {
        var condition = FilterSQL(filter)
        let asked = condition.bind(upToID)
        condition.require("id <= bound.id")
        let row = try connection.execute(
            """
            SELECT bound.id, (SELECT count(*) FROM jobs WHERE \(condition.sql))
            FROM (SELECT CASE WHEN max(id) IS NULL THEN 0 ELSE least(coalesce(\(asked)::bigint, max(id)), max(id)) END AS id
                FROM jobs) AS bound
            """, condition.arguments
        ).rows.first
        return JobCount(count: Int(try row?.int64(1) ?? 0), upToID: try row?.int64(0) ?? 0)
    }
}
