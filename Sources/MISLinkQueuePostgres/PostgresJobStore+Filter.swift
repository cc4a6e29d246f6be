import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// A filter as a WHERE clause with its `$n` parameters, shared by the list, the count and the bulk
    /// actions so that the three always mean the same jobs (as `JobFilter+SQL` on SQLite). A caller
    /// binds its own further parameters (a limit, an id list) after the filter's with `bind`.
    struct FilterSQL {
        private(set) var clauses: [String] = []
        private(set) var arguments: [any PostgresBindable] = []

        var sql: String { clauses.isEmpty ? "true" : clauses.joined(separator: " AND ") }
        var whereClause: String { clauses.isEmpty ? "" : "WHERE " + sql }

        /// Every field of `filter` (but the search, with `includeSearch: false`), with ids above
        /// `after` and up to `upTo` (inclusive) when given.
        init(_ filter: JobFilter, after: Int64? = nil, upTo: Int64? = nil, includeSearch: Bool = true) {
            // States are literals (they are an enum's names), not parameters: only a literal
            // `state = 'failed'` proves a partial index's WHERE in a prepared statement's generic plan.
            if !filter.states.isEmpty {
                let names = Set(filter.states).map(\.rawValue).sorted()
                clauses.append(
                    names.count == 1 ? "state = '\(names[0])'" : "state IN (\(names.map { "'\($0)'" }.joined(separator: ",")))")
            }
            for (column, value) in [("kind", filter.kind), ("queue", filter.queue), ("integration", filter.integration)] {
                if let value { clauses.append("\(column) = \(bind(value))") }
            }
            for (comparison, bound) in [("<", filter.before), (">", after), ("<=", upTo)] {
                if let bound { clauses.append("id \(comparison) \(bind(bound))") }
            }
            if includeSearch, let search = filter.search, !search.isEmpty {
                // A job with no last error has no error history either, so most jobs cost one ILIKE.
                let pattern = bind("%" + JobFilter.escapedForLike(search) + "%")
                clauses.append(
                    """
                    (payload ILIKE \(pattern) OR (last_error IS NOT NULL AND (last_error ILIKE \(pattern) \
                    OR EXISTS (SELECT 1 FROM job_errors e WHERE e.job_id = jobs.id AND e.message ILIKE \(pattern)))))
                    """)
            }
        }

        /// Adds a parameter; answers its placeholder.
        mutating func bind(_ value: any PostgresBindable) -> String {
            arguments.append(value)
            return "$\(arguments.count)"
        }

        /// Adds a clause of the caller's own (its parameters bound with `bind`).
        mutating func require(_ clause: String) { clauses.append(clause) }
    }
}
