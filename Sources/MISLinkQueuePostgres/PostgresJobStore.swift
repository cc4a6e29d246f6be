import Foundation
import MISLinkQueue
import PostgresDB

/// The job queue on PostgreSQL, for workers on many hosts: the `QueueBackend` part of `JobStore`.
///
/// Claims take one `UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)` per batch, completions
/// are fenced by the lease owner, every lease and run-at comparison uses the database's clock, and
/// an enqueue of available work sends one NOTIFY per queue, delivered when its transaction commits.
///
/// Each process (and each worker loop) owns its own store, and so its own connection.
public final class PostgresJobStore: QueueBackend {
    let connection: PostgresConnection
    /// Transient failures (40001, 40P01, a connection lost before COMMIT) are retried this many times.
    public var retries = 3
    /// The largest payload `enqueue` accepts, in bytes of UTF-8 JSON (as `JobStore`'s).
    public var maxPayloadBytes = JobStore.defaultMaxPayloadBytes
    /// Bookkeeping for a job that ends failed by any path, run in that failure's transaction.
    public var finalFailureHook: FinalFailureHook?
    /// The newest hour whose old activity this store has trimmed (see `record(_:)`).
    var activityTrimmedHour: Int64 = 0

    /// Connects to `url` and migrates the queue's schema (safe with other processes doing the same).
    public convenience init(url: String, configuration: PostgresConfiguration = PostgresConfiguration()) throws {
        try self.init(url: PostgresURL(url), configuration: configuration)
    }

    public init(url: PostgresURL, configuration: PostgresConfiguration = PostgresConfiguration()) throws {
        // MISLink's own URL parameters (mislink_wakeups, …) are checked and kept from libpq.
        let options = try PostgresQueueOptions(url)
        connection = try PostgresConnection(url: options.connectionURL, configuration: configuration)
        try PostgresQueueSchema.migrator.migrate(connection)
        try claimCounterShard(sessionState: options.wakeUps != .pollOnly)
    }

    /// The schema's version in the database and the latest this code knows.
    public func schemaVersion() throws -> (found: Int, latest: Int) {
        try PostgresQueueSchema.migrator.versions(connection)
    }

    /// The wake-up channel's name: LISTEN on it for the name of a queue that has new work.
    public static var wakeUpChannel: String { PostgresQueueSchema.channel }

    /// Runs `body` in one transaction of its own (retried on transient failures), or joins the
    /// caller's `inTransaction {}`.
    func writing<T>(_ body: () throws -> T) throws -> T {
        if connection.isInTransaction { return try body() }
        return try connection.transaction(retries: retries, body)
    }

    static let jobColumns = """
        id, kind, queue, state, integration, priority, attempt, max_attempts, run_at, created_at, started_at, \
        finished_at, unique_key, payload, last_error, result, progress, lease_owner, lease_expires_at, cancel_requested
        """

    static func job(from row: PostgresRow) throws -> Job {
        Job.backend(
            id: try row.int64(0),
            kind: try row.string(1),
            queue: try row.string(2),
            state: JobState(rawValue: try row.string(3)) ?? .failed,
            integration: try row.optionalString(4),
            priority: Int(try row.int64(5)),
            attempt: Int(try row.int64(6)),
            maxAttempts: Int(try row.int64(7)),
            runAt: try row.int64(8),
            createdAt: try row.int64(9),
            startedAt: try row.optionalInt64(10),
            finishedAt: try row.optionalInt64(11),
            uniqueKey: try row.optionalString(12),
            payload: try row.string(13),
            lastError: try row.optionalString(14),
            result: try row.optionalString(15),
            progress: try row.optionalString(16),
            leaseOwner: try row.optionalString(17),
            leaseExpiresAt: try row.optionalInt64(18),
            cancelRequested: try row.bool(19))
    }

    /// A job with its error history, or nil.
    public func job(id: Int64) throws -> Job? {
        guard let row = try connection.execute("SELECT \(Self.jobColumns) FROM jobs WHERE id = $1", [id]).rows.first else {
            return nil
        }
        var job = try Self.job(from: row)
        job.errors = try errorHistories(jobIDs: [id])[id] ?? []
        return job
    }

    /// The database's clock, in milliseconds since the Unix epoch.
    public func databaseNow() throws -> Int64 {
        try connection.execute("SELECT mislink_now_ms()").rows.first?.int64(0) ?? 0
    }

    /// Runs `body` in one transaction: jobs it enqueues are seen by others (and wake them) only if
    /// it commits, and vanish with their wake-ups if it throws.
    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(body)
    }
}
