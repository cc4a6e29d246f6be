import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// One page of jobs matching `filter`, newest first, with the next page's `before` (as
    /// `JobStore.jobPage`). The search matches the payload or any error, ASCII case-insensitively.
    public func jobPage(matching filter: JobFilter) throws -> JobPage {
        var clauses: [String] = []
        var arguments: [any PostgresBindable] = []
        func bind(_ value: any PostgresBindable) -> String {
            arguments.append(value)
            return "$\(arguments.count)"
        }
        if !filter.states.isEmpty {
            clauses.append("state = ANY(\(bind(PostgresValue.textArray(Set(filter.states).map(\.rawValue).sorted())))::text[])")
        }
        for (column, value) in [("kind", filter.kind), ("queue", filter.queue), ("integration", filter.integration)] {
            if let value { clauses.append("\(column) = \(bind(value))") }
        }
        if let before = filter.before { clauses.append("id < \(bind(before))") }
        if let search = filter.search, !search.isEmpty {
            let pattern = bind("%" + JobFilter.escapedForLike(search) + "%")
            clauses.append(
                """
                (payload ILIKE \(pattern) OR (last_error IS NOT NULL AND (last_error ILIKE \(pattern)
                OR EXISTS (SELECT 1 FROM job_errors e WHERE e.job_id = jobs.id AND e.message ILIKE \(pattern)))))
                """)
        }
        let limit = max(1, filter.limit)
        let rows = try connection.execute(
            "SELECT \(Self.jobColumns) FROM jobs \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")) "
                + "ORDER BY id DESC LIMIT \(bind(Int64(limit) + 1))", arguments
        ).rows
        let jobs = try rows.prefix(limit).map(Self.job(from:))
        return JobPage(jobs: jobs, nextBefore: rows.count > limit ? jobs.last?.id : nil)
    }
}
