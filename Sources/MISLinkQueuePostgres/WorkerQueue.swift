import MISLinkQueue
import SQLiteDB

/// A worker's view of its queue: the back end and how it hears of new work.
public struct WorkerQueue {
    public let backend: any QueueBackend
    public let wakeUps: any QueueWakeUps
    /// How many jobs beyond its running ones a worker holds claimed when none is set: enough that
    /// one commit settles and claims many. SQLite commits in microseconds; a PostgreSQL commit is a
    /// round trip and a WAL flush (milliseconds), so each should carry more (measured in BENCHMARKS.md).
    public let defaultClaimAheadDepth: Int
    /// How long finished runs may wait in memory, while claimed-ahead jobs keep the worker busy,
    /// before they are committed on their own: each commit is one more transaction and, on
    /// PostgreSQL, one more WAL flush the loop waits for before it starts another job.
    public let defaultMaxCompletionDelayMilliseconds: Int64
    /// How long a claimed-ahead job may wait in a worker's buffer before it goes back to the queue
    /// for another worker. Longer than one claim's batch takes to run, or the batch's tail goes
    /// back and is claimed again: on PostgreSQL, with workers sharing the cores with the server, a
    /// batch can take longer than SQLite's 50 ms (BENCHMARKS.md).
    public let defaultClaimAheadHoldMilliseconds: Int64
}

extension QueueDatabase {
    /// Opens the queue for a worker loop: the one place a worker's back end and wake-ups are chosen.
    /// `clock` is the worker's (SQLite keeps the worker's times; PostgreSQL uses its own clock),
    /// `sqlitePollMilliseconds` how often an idle worker reads SQLite's data_version.
    public func openForWorker(
        sqliteConfiguration: ConnectionConfiguration, clock: @escaping @Sendable () -> Int64, sqlitePollMilliseconds: Int64,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> WorkerQueue {
        switch self {
        case .sqlite(let path):
            let store = try JobStore(path: path, configuration: sqliteConfiguration)
            store.backendClock = clock
            return WorkerQueue(
                backend: store, wakeUps: DataVersionWakeUps(store: store, pollIntervalMilliseconds: sqlitePollMilliseconds),
                defaultClaimAheadDepth: 32, defaultMaxCompletionDelayMilliseconds: 5, defaultClaimAheadHoldMilliseconds: 50)
        case .postgres(let url):
            let options = try PostgresQueueOptions(url)
            return WorkerQueue(
                backend: try PostgresJobStore(url: url), wakeUps: PostgresQueueWakeUps(options: options, log: log),
                defaultClaimAheadDepth: 128,
                // 25 ms, not SQLite's 5: a durable commit's flush is milliseconds, and fewer of them
                // drained noop jobs 7-12 % faster (BENCHMARKS.md).
                defaultMaxCompletionDelayMilliseconds: 25,
                // 200 ms, not 50: a batch's tail went back and was claimed again (7,500-8,200 of
                // 100,000 noop jobs with 4 processes; about 1,200 at 200 ms, and 14,435-16,070 jobs/s
                // durably against 12,103-13,868: BENCHMARKS.md).
                defaultClaimAheadHoldMilliseconds: 200)
        }
    }
}
