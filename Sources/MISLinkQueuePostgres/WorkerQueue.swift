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
                defaultClaimAheadDepth: 32, defaultMaxCompletionDelayMilliseconds: 5)
        case .postgres(let url):
            let options = try PostgresQueueOptions(url)
            return WorkerQueue(
                backend: try PostgresJobStore(url: url), wakeUps: PostgresQueueWakeUps(options: options, log: log),
                defaultClaimAheadDepth: 128,
                // 25 ms, not SQLite's 5: a durable commit's flush is milliseconds, and fewer of them
                // drained noop jobs 7-12 % faster (BENCHMARKS.md).
                defaultMaxCompletionDelayMilliseconds: 25)
        }
    }
}
