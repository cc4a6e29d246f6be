/// What the admin service (`JobAdmin`, and through it the command line and the console) asks of the
/// queue beyond a worker's part, the same on every back end: SQLite's `JobStore` and PostgreSQL's
/// `PostgresJobStore`. The conformance suite runs its tests against both.
///
/// A call made inside `inTransaction {}` joins that transaction, so that a service's rule check
/// commits with the write it allows; outside one, each write runs in a transaction of its own.
/// `now` is the caller's clock, used by a back end that keeps none of its own (SQLite); PostgreSQL
/// reads the server's, as everywhere.
public protocol QueueAdminBackend: QueueBackend {
    /// The store's own connection as the sync store and an in-transaction enqueue use it: a
    /// service's rule reads the integration there, in the transaction that writes the job it allows.
    var transactionHandle: any QueueTransaction { get }

    /// Runs `body` in one read snapshot, so that figures read together agree (or joins the caller's
    /// transaction).
    func inReadTransaction<T>(_ body: () throws -> T) throws -> T

    /// The jobs matching `filter` (its `limit` applies), newest first, with their error histories.
    func jobs(matching filter: JobFilter) throws -> [Job]

    /// How many jobs match, with the id bound the count covers (the newest job's id when nil).
    func count(matching filter: JobFilter, upToID: Int64?) throws -> JobCount

    /// Calls `body` with the selection's jobs, oldest first, `chunkSize` at a time, each chunk in a
    /// write transaction of its own; a filter's ids are checked against it again inside the
    /// transaction. A throw rolls back its chunk only and ends the walk.
    func forEachChunk(of selection: JobSelection, chunkSize: Int, _ body: ([Int64]) throws -> Void) throws

    /// Puts a failed or cancelled job back to `available` with `extraAttempts` more attempts (its
    /// error history kept). Refuses another state (`.invalidState`), a missing job (`.notFound`), and
    /// a job whose unique key another pending job holds (`.uniqueConflict`).
    func retryJob(id: Int64, extraAttempts: Int, now: Int64) throws

    /// Deletes those of `ids` that are failed or cancelled, with their error histories (the lasting
    /// counters stay); answers the others with why (missing, or still pending or running).
    func discardJobs(ids: [Int64]) throws -> [DiscardRefusal]

    /// Deletes finished jobs that finished more than `milliseconds` ago (and activity older than its
    /// retention), in chunks; answers how many jobs.
    func pruneJobs(olderThan milliseconds: Int64, now: Int64) throws -> Int

    /// Jobs by kind and state, and the oldest available job's run-at.
    func stats() throws -> QueueStats

    /// Every running job with its worker.
    func heldJobs() throws -> [HeldJob]

    /// Every queue with pending or failed jobs, or paused. `metrics`, read in the same transaction,
    /// saves reading the state counts twice.
    func queueSummaries(using metrics: JobMetrics?) throws -> [QueueSummary]

    /// Jobs now in each state (every state present, 0 when none), narrowed by kind and queue.
    func stateCounts(kind: String?, queue: String?) throws -> [JobState: Int]

    /// Jobs ended per hour and kind, from the hour holding `since` on, oldest first, then by kind.
    func activity(since: Int64) throws -> [ActivityBucket]

    /// The lasting totals and histograms, and the jobs now pending or failed, by kind and queue.
    func jobMetrics() throws -> JobMetrics
}

/// One job a discard left alone, and why.
public struct DiscardRefusal: Sendable {
    public let id: Int64
    public let error: QueueError

    public init(id: Int64, error: QueueError) {
        self.id = id
        self.error = error
    }
}
