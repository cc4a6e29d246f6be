import Foundation
import MISLinkKit
import MISLinkQueuePostgres
import SQLiteDB

/// How a worker runs. Every field has a default.
public struct WorkerConfiguration: Sendable {
    /// The queue: a SQLite file or a PostgreSQL URL.
    public var database: QueueDatabase
    /// The SQLite file's path (setting it selects SQLite); a PostgreSQL URL as it may be printed.
    public var databasePath: String {
        get { database.description }
        set { database = .sqlite(path: newValue) }
    }
    public var connection: ConnectionConfiguration
    /// Jobs run at once.
    public var concurrency: Int
    /// Queues to take jobs from; nil takes from every queue.
    public var queues: [String]?
    /// How long a claimed job stays ours without a heartbeat. Heartbeats come every third of it.
    public var leaseMilliseconds: Int64
    /// Exit once nothing is available or waiting to be retried.
    public var drain: Bool
    /// On stop, how long running jobs may take to finish before they are handed back.
    public var shutdownGraceMilliseconds: Int64
    /// How often an idle worker asks SQLite whether another process committed (`PRAGMA data_version`).
    /// On PostgreSQL the URL says (`mislink_poll_ms`; NOTIFY wakes it meanwhile).
    public var pollIntervalMilliseconds: Int64
    /// How often to look for expired leases and dead workers on this host.
    public var rescueIntervalMilliseconds: Int64
    /// After a run finishes, how long to wait for others to finish so their completions share a commit.
    public var coalesceMicroseconds: Int
    /// Claim-ahead: while jobs run in under `claimAheadMaxRunMicroseconds` on average, a worker holds
    /// up to this many claimed jobs beyond its running ones, so one commit settles and claims many.
    /// 0 turns it off. Concurrency (jobs running at once) is never exceeded. Nil: the back end's
    /// default (`WorkerQueue.defaultClaimAheadDepth`: 32 on SQLite, more on PostgreSQL, whose commits
    /// cost more and so should each carry more jobs).
    public var claimAheadDepth: Int?
    public var claimAheadMaxRunMicroseconds: Int
    /// A claimed-ahead job not started within this time goes back to the queue, uncharged, so no
    /// job waits long in one worker's hands while another worker is free.
    /// Nil: the back end's default (`WorkerQueue.defaultClaimAheadHoldMilliseconds`).
    public var claimAheadHoldMilliseconds: Int64?
    /// The most jobs of a queue this worker holds at once (none by default; the sync module's
    /// defaults keep a slot free of imports, so that write-back never waits behind them).
    public var queueLimits: [String: Int]
    /// The most threads that run ordinary (not urgent) handlers at once; nil leaves it to dispatch,
    /// which gives every runnable handler a thread of its own. Handlers wait on the network without
    /// a thread, so a few threads keep the cores busy; more only split the CPU finer, and an urgent
    /// job's thread got its share of it. Default: twice the cores, at least 4.
    public var handlerThreads: Int?
    public static var defaultHandlerThreads: Int { max(4, 2 * ProcessInfo.processInfo.activeProcessorCount) }
    /// Jobs of at least this priority (write-back, at 100) run their handlers on an executor of a
    /// higher QoS, with threads of its own: on a box whose cores are busy decoding imports, a mark
    /// waiting for a thread behind them would wait seconds. Nil runs every job on one executor.
    public var urgentPriority: Int?
    /// Log every job's start and end, not only failures.
    public var logEachJob: Bool
    public var log: @Sendable (LogLevel, String) -> Void
    /// Where the loop reads the time and sleeps: the system clock, or a test's virtual one.
    public var clock: any WorkerClock

    public init(
        databasePath: String,
        connection: ConnectionConfiguration = ConnectionConfiguration(),
        concurrency: Int = 4,
        queues: [String]? = nil,
        leaseMilliseconds: Int64 = 30_000,
        drain: Bool = false,
        shutdownGraceMilliseconds: Int64 = 10_000,
        pollIntervalMilliseconds: Int64 = 2,
        rescueIntervalMilliseconds: Int64 = 1_000,
        coalesceMicroseconds: Int = 200,
        claimAheadDepth: Int? = nil,
        claimAheadMaxRunMicroseconds: Int = 1_000,
        claimAheadHoldMilliseconds: Int64? = nil,
        queueLimits: [String: Int] = [:],
        urgentPriority: Int? = 50,
        handlerThreads: Int? = WorkerConfiguration.defaultHandlerThreads,
        logEachJob: Bool = false,
        log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in },
        clock: any WorkerClock = SystemClock()
    ) {
        self.clock = clock
        self.database = .sqlite(path: databasePath)
        self.connection = connection
        self.concurrency = concurrency
        self.queues = queues
        self.leaseMilliseconds = leaseMilliseconds
        self.drain = drain
        self.shutdownGraceMilliseconds = shutdownGraceMilliseconds
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.rescueIntervalMilliseconds = rescueIntervalMilliseconds
        self.coalesceMicroseconds = coalesceMicroseconds
        self.claimAheadDepth = claimAheadDepth
        self.claimAheadMaxRunMicroseconds = claimAheadMaxRunMicroseconds
        self.claimAheadHoldMilliseconds = claimAheadHoldMilliseconds
        self.queueLimits = queueLimits
        self.urgentPriority = urgentPriority
        self.handlerThreads = handlerThreads
        self.logEachJob = logEachJob
        self.log = log
    }

    /// A worker on `database` (a SQLite file or a PostgreSQL URL), every other field at its default.
    public init(database: QueueDatabase, connection: ConnectionConfiguration = ConnectionConfiguration()) {
        self.init(databasePath: "", connection: connection)
        self.database = database
    }

    /// The limits in force.
    public var effectiveQueueLimits: [String: Int] { queueLimits }
}

/// What a worker did before it stopped.
public struct WorkerSummary: Sendable, Equatable {
    public var succeeded = 0
    /// Attempts that failed (retried or not).
    public var failedAttempts = 0
    public var timedOut = 0
    public var cancelled = 0
    public var handedBack = 0
    /// Claimed-ahead jobs returned to the queue unstarted (held too long, or on shutdown).
    public var returnedUnstarted = 0
    public var rescued = 0

    public init() {}
}
