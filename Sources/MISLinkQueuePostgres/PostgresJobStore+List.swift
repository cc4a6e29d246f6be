import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// One page of jobs matching `filter`, newest first, with the next page's `before` (as
    /// `JobStore.jobPage`), each job with its error history. The search matches the payload or any
    /// error, ASCII case-insensitively, and examines at most `searchWindow` jobs per page (the newest
    /// below `before` that match the rest of the filter), so a rare word costs a bounded read; a short
    /// page then says where the next window starts.
    public func jobPage(matching filter: JobFilter) throws -> JobPage {
        let limit = max(1, min(filter.limit, Int.max - 1))
        var condition = FilterSQL(filter)
        var beyond: Int64?
        if let search = filter.search, !search.isEmpty {
            // The first job past the window: the search reads only the jobs above it.
            var base = FilterSQL(filter, includeSearch: false)
            beyond = try connection.execute(
                "SELECT id FROM jobs \(base.whereClause) ORDER BY id DESC OFFSET \(base.bind(Int64(max(0, filter.searchWindow)))) LIMIT 1",
                base.arguments
            ).rows.first?.int64(0)
            if let beyond { condition.require("id > \(condition.bind(beyond))") }
        }
        let rows = try connection.execute(
            "SELECT \(Self.jobColumns) FROM jobs \(condition.whereClause) ORDER BY id DESC LIMIT \(condition.bind(limit + 1))",
            condition.arguments
        ).rows
        var jobs = try rows.prefix(limit).map(Self.job(from:))
        let histories = try errorHistories(jobIDs: jobs.filter { $0.lastError != nil }.map(\.id))
        for index in jobs.indices { jobs[index].errors = histories[jobs[index].id] ?? [] }
        // A full page goes on after its last job; a short one after the window (`before` is exclusive).
        let next = rows.count > limit ? jobs.last?.id : beyond.map { $0 + 1 }
        return JobPage(jobs: jobs, nextBefore: next)
    }

    /// The error histories of these jobs, oldest first, in one statement.
    func errorHistories(jobIDs: [Int64]) throws -> [Int64: [JobError]] {
        guard !jobIDs.isEmpty else { return [:] }
        var histories: [Int64: [JobError]] = [:]
        for row in try connection.execute(
            "SELECT job_id, attempt, at, message, worker, started_at FROM job_errors WHERE job_id = ANY($1::bigint[]) ORDER BY id",
            [PostgresValue.int64Array(jobIDs)]
        ).rows {
            histories[try row.int64(0), default: []].append(
                JobError(
                    attempt: Int(try row.int64(1)), at: try row.int64(2), message: try row.string(3),
                    worker: try row.optionalString(4), startedAt: try row.optionalInt64(5)))
        }
        return histories
    }
}
