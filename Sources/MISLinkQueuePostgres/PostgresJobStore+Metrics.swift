import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// The hourly buckets of the hour that holds `since` (milliseconds) and every later one, oldest
    /// first, then by kind (bytewise, as SQLite orders them), each summed over the shards.
    public func activity(since: Int64) throws -> [ActivityBucket] {
        try connection.execute(
            """
            SELECT hour_start, kind, sum(succeeded)::bigint, sum(failed)::bigint FROM job_activity
            WHERE hour_start >= $1 GROUP BY hour_start, kind ORDER BY hour_start, kind COLLATE "C"
            """, [JobTally.hourStart(of: since)]
        ).rows.map {
            ActivityBucket(hourStart: try $0.int64(0), kind: try $0.string(1), succeeded: Int(try $0.int64(2)), failed: Int(try $0.int64(3)))
        }
    }

    /// The lasting totals and histogram buckets, summed over the shards: a few rows per kind and
    /// queue and shard, never a count of the jobs. Ordered as SQLite's.
    public func jobMetrics() throws -> JobMetrics {
        try inReadTransaction {
            var counters: [JobMetrics.Counter] = []
            var buckets: [JobMetrics.Bucket] = []
            for row in try connection.execute(
                """
                SELECT kind, queue, name, le, sum(value)::bigint FROM job_counters GROUP BY kind, queue, name, le
                ORDER BY kind COLLATE "C", queue COLLATE "C", name COLLATE "C", le
                """
            ).rows {
                let (kind, queue, name, le, value) = (try row.string(0), try row.string(1), try row.string(2), try row.int64(3), try row.int64(4))
                if le != JobMetrics.plainCounter {
                    buckets.append(JobMetrics.Bucket.backend(kind: kind, queue: queue, metric: name, le: le, count: value))
                } else if !name.hasPrefix(JobMetrics.stateCounterPrefix) {
                    counters.append(JobMetrics.Counter.backend(kind: kind, queue: queue, name: name, value: value))
                }
            }
            // The states from the jobs table's partial indexes (PostgreSQL keeps no state counters).
            return JobMetrics(counters: counters, buckets: buckets, states: try countedStates(kind: nil, queue: nil))
        }
    }
}
