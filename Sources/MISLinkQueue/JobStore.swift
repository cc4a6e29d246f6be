import Foundation
import SQLiteDB

/// The persistent job queue on one SQLite file.
///
/// Each process (and each worker loop) owns its own `JobStore`; many may share the file.
/// Not `Sendable`: a store is used from one thread at a time, like the connection it wraps.
public final class JobStore {
    /// The store's own connection. Package-only: the sync store shares it so that bookkeeping commits
    /// in the queue's transactions; every other caller (the command line, the console) goes through
    /// the store's API or the service layer, never through SQL of its own.
    package let connection: Connection
    /// The largest payload `enqueue` accepts, in bytes of UTF-8 JSON.
    public var maxPayloadBytes = JobStore.defaultMaxPayloadBytes
    /// 1 MiB, or `MISLINK_MAX_PAYLOAD_BYTES` when that is set to a whole number of bytes.
    public static let defaultMaxPayloadBytes: Int = {
        if let text = ProcessInfo.processInfo.environment["MISLINK_MAX_PAYLOAD_BYTES"], let bytes = Int(text), bytes > 0 {
            return bytes
        }
        return 1 << 20
    }()
    /// Bookkeeping for a job that ends `failed` by any path (its handler's last failure, a timeout,
    /// a rescue of an abandoned run, a failed bookkeeping effect), committed with that failure.
    public var finalFailureHook: FinalFailureHook?
    /// The clock of the `QueueBackend` methods (which take no time): the process's, or a worker's
    /// virtual one in tests. SQLite's file is on this machine, so the worker's clock is the queue's.
    public var backendClock: @Sendable () -> Int64 = JobStore.now
    /// The latest hour this store trimmed the activity buckets for: old ones are deleted once per
    /// hour per store, when its first job of a new hour ends, not on every commit.
    var activityTrimmedHour: Int64 = .min

    /// Opens the queue database, creating and migrating it as needed. The file must be a MISLink
    /// queue (or new): any other SQLite file is refused untouched.
    public init(path: String, configuration: ConnectionConfiguration = ConnectionConfiguration()) throws {
        var configuration = configuration
        configuration.owner = QueueSchema.owner
        connection = try Connection(path: path, configuration: configuration)
        try QueueSchema.migrator.migrate(connection)
    }

    /// How a connection to the queue's file must be configured (its owner mark), for modules that
    /// open their own connection to it.
    public static func queueConfiguration(_ configuration: ConnectionConfiguration) -> ConnectionConfiguration {
        var configuration = configuration
        configuration.owner = QueueSchema.owner
        return configuration
    }

    /// Wraps a connection whose schema is already migrated (used inside another module's transaction).
    init(existing connection: Connection) {
        self.connection = connection
    }

    /// Milliseconds since the Unix epoch.
    public static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    static let jobColumns = """
        id, kind, queue, state, integration, priority, attempt, max_attempts, run_at, created_at, started_at, \
        finished_at, unique_key, payload, last_error, result, progress, lease_owner, lease_expires_at, cancel_requested
        """

    static func job(from row: Row) -> Job {
        Job(
            id: row.int64(0),
            kind: row.string(1),
            queue: row.string(2),
            state: JobState(rawValue: row.string(3)) ?? .failed,
            integration: row.optionalString(4),
            priority: row.int(5),
            attempt: row.int(6),
            maxAttempts: row.int(7),
            runAt: row.int64(8),
            createdAt: row.int64(9),
            startedAt: row.optionalInt64(10),
            finishedAt: row.optionalInt64(11),
            uniqueKey: row.optionalString(12),
            payload: row.string(13),
            lastError: row.optionalString(14),
            errors: [],
            result: row.optionalString(15),
            progress: row.optionalString(16),
            leaseOwner: row.optionalString(17),
            leaseExpiresAt: row.optionalInt64(18),
            cancelRequested: row.int(19) != 0
        )
    }

    /// The attempt's worker and start come from the job's own row, so every caller must record the
    /// error before the update that ends the run (and clears its lease owner). An error recorded
    /// outside a run (an admin's cancel of a waiting job) has neither.
    func recordError(jobID: Int64, attempt: Int, at: Int64, message: String) throws {
        try connection.run(
            """
            INSERT INTO job_errors(job_id, attempt, at, message, worker, started_at)
            SELECT ?, ?, ?, ?, CASE WHEN state = 'running' THEN lease_owner END, CASE WHEN state = 'running' THEN started_at END
            FROM jobs WHERE id = ?
            """,
            [jobID, attempt, at, message, jobID])
        try connection.run("UPDATE jobs SET last_error = ? WHERE id = ?", [message, jobID])
    }

    /// Every attempt's error, oldest first.
    func errorHistory(jobID: Int64) throws -> [JobError] {
        try connection.query(
            "SELECT attempt, at, message, worker, started_at FROM job_errors WHERE job_id = ? ORDER BY rowid", [jobID]
        ) {
            JobError(
                attempt: $0.int(0), at: $0.int64(1), message: $0.string(2), worker: $0.optionalString(3),
                startedAt: $0.optionalInt64(4))
        }
    }
}

extension JobStore {
    /// Runs `body` in one read transaction (so what it reads agrees), or in the caller's transaction.
    func reading<T>(_ body: () throws -> T) throws -> T {
        if connection.isInTransaction { return try body() }
        return try connection.transaction(.deferred, body)
    }

    /// Changes when another connection commits: an idle worker's cheap "anything new?" check.
    public func dataVersion() throws -> Int64 { try connection.dataVersion() }
}
