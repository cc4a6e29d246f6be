import SQLiteDB

/// A filter as SQL, shared by the list, the count and the bulk actions so that the three always
/// mean the same jobs.
extension JobFilter {
    /// 50,000 jobs: about a fifth of a second of LIKE on a loaded machine, so a page of a rare word
    /// answers quickly and says where to go on.
    public static let defaultSearchWindow = 50_000

    struct Condition {
        var clauses: [String] = []
        var arguments: [any SQLBindable] = []

        var sql: String { clauses.isEmpty ? "1" : clauses.joined(separator: " AND ") }
        var whereClause: String { clauses.isEmpty ? "" : "WHERE " + sql }
    }

    /// The search text, or nil when there is none to look for.
    var searchText: String? {
        guard let search, !search.isEmpty else { return nil }
        return search
    }

    /// Every condition (but the search, with `includeSearch: false`), with ids above `after` and up
    /// to `upTo` (inclusive) when given.
    func conditions(after: Int64? = nil, upTo: Int64? = nil, includeSearch: Bool = true) -> Condition {
        var condition = Condition()
        // States are literals, not parameters: only a literal `state = 'failed'` lets SQLite use the
        // partial index jobs_failed (a bound value cannot prove the index's WHERE).
        if !states.isEmpty {
            let names = Set(states).map(\.rawValue).sorted()
            condition.clauses.append(
                names.count == 1 ? "state = '\(names[0])'" : "state IN (\(names.map { "'\($0)'" }.joined(separator: ",")))")
        }
        for (column, value) in [("kind", kind), ("queue", queue), ("integration", integration)] {
            if let value {
                condition.clauses.append("\(column) = ?")
                condition.arguments.append(value)
            }
        }
        for (clause, bound) in [("id < ?", before), ("id > ?", after), ("id <= ?", upTo)] {
            if let bound {
                condition.clauses.append(clause)
                condition.arguments.append(bound)
            }
        }
        if includeSearch, let search = searchCondition {
            condition.clauses.append(search.sql)
            condition.arguments += search.arguments
        }
        return condition
    }

    /// The search alone. A job with no last error has no error history either (both are written
    /// together), so most jobs cost one LIKE on the payload and no seek into job_errors.
    var searchCondition: Condition? {
        guard let text = searchText else { return nil }
        let pattern = "%" + Self.escapedForLike(text) + "%"
        return Condition(
            clauses: [
                """
                (payload LIKE ? ESCAPE '\\' OR (last_error IS NOT NULL AND (last_error LIKE ? ESCAPE '\\' \
                OR EXISTS (SELECT 1 FROM job_errors AS e WHERE e.job_id = jobs.id AND e.message LIKE ? ESCAPE '\\'))))
                """
            ],
            arguments: [pattern, pattern, pattern])
    }

    /// `%`, `_` and the escape character itself match only themselves.
    package static func escapedForLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
