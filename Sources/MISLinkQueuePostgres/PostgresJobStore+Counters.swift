import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// How many counter shards there are: migration 6's `mislink_counter_shard()` falls back to the
    /// backend's pid modulo this.
    static let counterShards = 64
    /// The first half of a counter shard's session advisory lock, so that it never meets other locks.
    static let counterShardLockSpace: Int32 = 0x4D49_5343  // "MISC"

    /// Takes a counter shard no other open store holds (the first free session advisory lock of 64)
    /// and keeps it in the session's `mislink.counter_shard`, which every counter write reads: two
    /// stores never upsert the same counter rows, so their commits never wait on each other there.
    /// With all 64 taken, or `sessionState` false (PgBouncer in transaction mode, where session
    /// locks and settings do not stay with one client), the backend's pid picks a shard: sums stay
    /// right, and a shared shard costs only some waiting.
    func claimCounterShard(sessionState: Bool) throws {
        guard sessionState else { return }
        for shard in 0..<Self.counterShards {
            let taken = try connection.execute(
                "SELECT pg_try_advisory_lock($1::integer, $2::integer)", [Int64(Self.counterShardLockSpace), Int64(shard)]
            ).rows.first?.bool(0)
            guard taken == true else { continue }
            try connection.execute("SELECT set_config('mislink.counter_shard', $1, false)", [String(shard)])
            return
        }
    }

    /// Writes a tally in the caller's transaction: as `JobStore.record`, but the state rows are left
    /// out (PostgreSQL counts states from the jobs table). The first activity this store writes in a
    /// new hour also trims its own shard's buckets older than the retention, as SQLite does.
    func record(_ tally: JobTally) throws {
        try Self.record(tally, on: connection)
        guard let newest = tally.activity.map(\.hourStart).max(), newest > activityTrimmedHour else { return }
        activityTrimmedHour = newest
        try connection.execute(
            "DELETE FROM job_activity WHERE shard = mislink_counter_shard() AND hour_start < $1",
            [newest - JobStore.activityRetention])
    }

    /// One statement for the whole tally, counters and activity together, on the connection's shard.
    /// Rows go in key order, so two transactions that share a shard lock them in the same order and
    /// wait for each other rather than deadlock.
    static func record(_ tally: JobTally, on connection: PostgresConnection) throws {
        let rows = tally.rows.filter { !$0.name.hasPrefix(JobMetrics.stateCounterPrefix) }
            .sorted { ($0.kind, $0.queue, $0.name, $0.le) < ($1.kind, $1.queue, $1.name, $1.le) }
        let activity = tally.activity.sorted { ($0.hourStart, $0.kind) < ($1.hourStart, $1.kind) }
        guard !rows.isEmpty || !activity.isEmpty else { return }
        try connection.execute(
            recordSQL,
            [
                PostgresValue.textArray(rows.map(\.kind)), PostgresValue.textArray(rows.map(\.queue)),
                PostgresValue.textArray(rows.map(\.name)), PostgresValue.int64Array(rows.map(\.le)),
                PostgresValue.int64Array(rows.map(\.value)),
                PostgresValue.int64Array(activity.map(\.hourStart)), PostgresValue.textArray(activity.map(\.kind)),
                PostgresValue.int64Array(activity.map(\.succeeded)), PostgresValue.int64Array(activity.map(\.failed)),
            ])
    }

    // A data-modifying CTE runs to completion whether or not the main statement reads it.
    private static let recordSQL = """
        WITH counted AS (
            INSERT INTO job_counters (kind, queue, name, le, shard, value)
            SELECT k, q, n, l, mislink_counter_shard(), v
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS t(k, q, n, l, v)
            ON CONFLICT (kind, queue, name, le, shard) DO UPDATE SET value = job_counters.value + excluded.value)
        INSERT INTO job_activity (hour_start, kind, shard, succeeded, failed)
        SELECT h, k, mislink_counter_shard(), s, f FROM unnest($6::bigint[], $7::text[], $8::bigint[], $9::bigint[]) AS t(h, k, s, f)
        ON CONFLICT (hour_start, kind, shard) DO UPDATE
            SET succeeded = job_activity.succeeded + excluded.succeeded, failed = job_activity.failed + excluded.failed
        """

    /// Deletes every shard's activity buckets older than `JobStore.activityRetention`, by the
    /// database's clock, in the caller's transaction or one of its own: what a prune calls.
    func trimActivity() throws {
        try writing {
            try connection.execute(
                """
                DELETE FROM job_activity
                WHERE hour_start < (SELECT n - n % $1 FROM (SELECT mislink_now_ms() AS n) clock) - $2
                """, [JobTally.hour, JobStore.activityRetention])
        }
    }
}
