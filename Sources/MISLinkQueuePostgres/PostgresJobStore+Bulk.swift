import MISLinkQueue
import PostgresDB

extension PostgresJobStore {
    /// Calls `body` with the selection's jobs, oldest first, `chunkSize` at a time, each chunk in a
    /// transaction of its own (a savepoint of the caller's, inside `inTransaction {}`), as
    /// `JobStore.forEachChunk`. A filter's chunk is found by a read outside it (a search may scan
    /// far), then its ids are checked against the filter again inside, locked FOR UPDATE, so a job
    /// that stopped matching in between is left alone and none changes under `body`. A throw from
    /// `body` rolls back its chunk only and ends the walk. Chunks are never retried: `body` may keep
    /// what it did.
    public func forEachChunk(of selection: JobSelection, chunkSize: Int, _ body: ([Int64]) throws -> Void) throws {
        try selection.walk(
            chunkSize: chunkSize,
            find: { filter, after, upToID, limit in
                var condition = FilterSQL(filter, after: after, upTo: upToID)
                return try connection.execute(
                    "SELECT id FROM jobs \(condition.whereClause) ORDER BY id LIMIT \(condition.bind(limit))", condition.arguments
                ).rows.map { try $0.int64(0) }
            },
            recheck: { filter, upToID, found in
                var recheck = FilterSQL(filter, upTo: upToID)
                recheck.require("id = ANY(\(recheck.bind(PostgresValue.int64Array(found)))::bigint[])")
                return try connection.execute(
                    "SELECT id FROM jobs WHERE \(recheck.sql) ORDER BY id FOR UPDATE", recheck.arguments
                ).rows.map { try $0.int64(0) }
            },
            transaction: inChunk, body)
    }

    /// One chunk's transaction: its own, or a savepoint of the caller's, so a throw undoes this chunk only.
    private func inChunk(_ body: () throws -> Void) throws {
        if connection.isInTransaction {
            try connection.savepoint("mislink_chunk", body)
        } else {
            try connection.transaction(body)
        }
    }

    /// Deletes those of `ids` that are failed or cancelled, with their error histories (by cascade),
    /// in the caller's transaction or one of its own; answers the others with why, in `ids`' order,
    /// with `JobStore`'s messages. The rows are locked first, so none becomes pending in between.
    public func discardJobs(ids: [Int64]) throws -> [DiscardRefusal] {
        try writing {
            var states: [Int64: String] = [:]
            for row in try connection.execute("SELECT id, state FROM jobs WHERE id = ANY($1::bigint[]) FOR UPDATE", [PostgresValue.int64Array(ids)]).rows {
                states[try row.int64(0)] = try row.string(1)
            }
            let (deletable, refused) = DiscardRefusal.sort(ids, states: states)
            // The state test is in the DELETE too: a pending or running job is never deleted.
            try connection.execute(
                "DELETE FROM jobs WHERE id = ANY($1::bigint[]) AND state IN ('failed', 'cancelled')",
                [PostgresValue.int64Array(deletable)])
            return refused
        }
    }

    /// Deletes finished jobs that finished more than `milliseconds` before the database's clock
    /// (read once, so every chunk has the same cutoff), with their error histories, `chunk` jobs per
    /// transaction so that workers are never held up for long; answers how many. `now` is unused:
    /// the server's clock decides. Each chunk scans for finished jobs (there is no index on
    /// finished_at), skipping rows another transaction holds.
    public func pruneJobs(olderThan milliseconds: Int64, now: Int64) throws -> Int {
        try trimActivity()  // the hourly activity past its retention, as JobStore.prune trims SQLite's
        let cutoff = try connection.execute("SELECT mislink_now_ms() - $1::bigint", [milliseconds]).rows.first?.int64(0) ?? 0
        let chunk = 10_000
        var total = 0
        while true {
            let deleted = try writing {
                try connection.execute(
                    """
                    DELETE FROM jobs WHERE id IN (
                        SELECT id FROM jobs WHERE finished_at < $1::bigint AND state IN ('succeeded', 'failed', 'cancelled')
                        LIMIT $2 FOR UPDATE SKIP LOCKED)
                    """, [cutoff, chunk]
                ).affectedRows
            }
            total += deleted
            if deleted < chunk { return total }
        }
    }
}
