import Foundation
import MISLinkQueue
import MISLinkRunner
import SQLiteDB

/// Every admin action on jobs, with its rules: enqueue (one or a batch) and retry go through the
/// same enqueue rules, checked in the transaction that writes. The command line and the console
/// call this and only print what it answers.
public struct JobAdmin: Sendable {
    public let environment: SyncEnvironment
    private let handlers: HandlerRegistry

    public init(environment: SyncEnvironment) {
        self.init(environment: environment, handlers: SyncHandlers.registry(environment: environment))
    }

    /// With the handlers whose `validate` checks each enqueued payload: a process that registers
    /// kinds of its own (a test, a host program) passes the registry its workers run.
    public init(environment: SyncEnvironment, handlers: HandlerRegistry) {
        self.environment = environment
        self.handlers = handlers
    }

    // MARK: - Enqueue

    /// Checks the request, then writes it with its integration's rule in one transaction. Nothing is
    /// opened (or created) until the request itself is valid.
    public func enqueue(_ request: JobRequest, now: Int64 = JobStore.now()) throws(SyncError) -> EnqueueResult {
        let job = try request.resolve(policies: environment.policies, handlers: handlers, now: now)
        let database = try SyncDatabase(environment, access: .write)
        do { return try Self.write([job], database: database, now: now)[0] } catch { throw error.error }
    }

    /// A bad line in a batch: which one (from 1; 0 when no one line is to blame) and why.
    public struct BatchError: Error, Sendable {
        public let index: Int
        public let error: SyncError
    }

    /// Checks every request before anything is written, then writes them in transactions of
    /// `commitEvery` (default: all in one), each checking its jobs' rules again as it writes.
    /// A failure rolls back only its own chunk.
    public func enqueue(batch requests: [JobRequest], commitEvery: Int? = nil, now: Int64 = JobStore.now())
        throws(BatchError) -> [EnqueueResult]
    {
        var jobs: [NewJob] = []
        jobs.reserveCapacity(requests.count)
        for (index, request) in requests.enumerated() {
            do { jobs.append(try request.resolve(policies: environment.policies, handlers: handlers, now: now)) } catch {
                throw BatchError(index: index + 1, error: error)
            }
        }
        let database: SyncDatabase
        do { database = try SyncDatabase(environment, access: .write) } catch { throw BatchError(index: 0, error: error) }
        // Checked up front as well, so that a refused line leaves nothing written even across chunks.
        for (index, job) in jobs.enumerated() where EnqueueRules.syncKinds.contains(job.kind) {
            do { try EnqueueRules.check(kind: job.kind, integration: job.integration, store: database.store) } catch {
                throw BatchError(index: index + 1, error: SyncError.wrap(error))
            }
        }
        let chunkSize = max(1, commitEvery ?? jobs.count)
        var results: [EnqueueResult] = []
        results.reserveCapacity(jobs.count)
        var start = 0
        while start < jobs.count {
            let end = min(start + chunkSize, jobs.count)
            do {
                results += try Self.write(Array(jobs[start..<end]), database: database, now: now)
            } catch {
                throw BatchError(index: error.index.map { start + $0 + 1 } ?? 0, error: error.error)
            }
            start = end
        }
        return results
    }

    /// A chunk's failure, with the offset of the job (in the chunk) that caused it when known.
    private struct ChunkError: Error {
        let index: Int?
        let error: SyncError
    }

    /// Writes jobs in one transaction, each after its rule.
    private static func write(_ jobs: [NewJob], database: SyncDatabase, now: Int64) throws(ChunkError)
        -> [EnqueueResult]
    {
        var failedAt: Int?
        do {
            return try database.write {
                let results = try jobs.enumerated().map { index, job in
                    failedAt = index
                    return try checkedInsert(job, database: database, now: now)
                }
                failedAt = nil  // a failed commit is the chunk's, not its last job's
                return results
            }
        } catch {
            throw ChunkError(index: failedAt, error: SyncError.wrap(error))
        }
    }

    /// The rule, then the write: inside the caller's transaction. Go-live and the schedule use it too.
    static func checkedInsert(_ job: NewJob, database: SyncDatabase, now: Int64) throws -> EnqueueResult {
        try EnqueueRules.check(kind: job.kind, integration: job.integration, store: database.store)
        return try database.insert(job, now: now)
    }

    // MARK: - Retry

    /// Puts a failed or cancelled job back, if its kind's rule allows it now (a nightly import of an
    /// integration in Error is refused, naming the status), with a fresh set of its policy's attempts.
    public func retry(id: Int64, now: Int64 = JobStore.now()) throws(SyncError) {
        let database = try SyncDatabase(environment, access: .write)
        do {
            try database.write {
                guard let job = try database.queue.job(id: id) else { throw SyncError(.notFound, "job \(id) does not exist") }
                try retry(job, database: database, now: now)
            }
        } catch {
            throw SyncError.wrap(error)
        }
    }

    /// Retries every failed job its rule allows, in one transaction; the others stay failed and are
    /// answered with the reason (their rule's refusal, or another pending job holding their unique key).
    /// A kind or an integration narrows it to the failed jobs that match.
    public func retryAllFailed(kind: String? = nil, integration: String? = nil, now: Int64 = JobStore.now())
        throws(SyncError) -> RetryReport
    {
        let database = try SyncDatabase(environment, access: .write)
        do {
            return try database.write {
                var report = RetryReport()
                let failed = try database.queue.jobs(matching: JobFilter(states: [.failed], kind: kind, integration: integration, limit: Int.max))
                for job in failed.sorted(by: { $0.id < $1.id }) {
                    do {
                        try retry(job, database: database, now: now)
                        report.retried.append(job.id)
                    } catch {
                        report.refused.append(RetryReport.Refusal(id: job.id, kind: job.kind, reason: SyncError.wrap(error).message))
                    }
                }
                return report
            }
        } catch {
            throw SyncError.wrap(error)
        }
    }

    // MARK: - Bulk actions

    /// How many jobs match, and the id bound the count covers: the confirmation's "act on N jobs?",
    /// whose `upToID` the action then takes (`JobSelection.matching`).
    public func count(matching filter: JobFilter, upToID: Int64? = nil) throws(SyncError) -> JobCount {
        try read { try $0.count(matching: filter, upToID: upToID) }
    }

    /// Retries each selected job as `retry(id:)` would (its state, its kind's enqueue rule, its
    /// unique key), in transactions of `JobStore.bulkChunkSize` jobs; the refused stay as they were.
    public func retry(_ selection: JobSelection, now: Int64 = JobStore.now()) throws(SyncError) -> BulkReport {
        let database = try SyncDatabase(environment, access: .write)
        return try bulk(.retry, selection, queue: database.queue) { id, report in
            guard let job = try database.queue.job(id: id) else { throw SyncError(.notFound, "job \(id) does not exist") }
            try retry(job, database: database, now: now)
            report.acted += 1
        }
    }

    /// Cancels each selected job as `cancel(id:)` would: a waiting one at once, a running one at its
    /// worker's next heartbeat (counted as requested); a finished one is refused.
    public func cancel(_ selection: JobSelection) throws(SyncError) -> BulkReport {
        let queue = try openQueue(.write)
        return try bulk(.cancel, selection, queue: queue) { id, report in
            switch try queue.cancelJob(id: id) {  // joins the chunk's transaction
            case .cancelled: report.acted += 1
            case .requested: report.requested += 1
            }
        }
    }

    /// Deletes each selected job that is failed or cancelled, with its error history; a pending or
    /// running one is refused. The queue's lasting counters (and so /metrics) are not changed.
    public func discard(_ selection: JobSelection) throws(SyncError) -> BulkReport {
        let queue = try openQueue(.write)
        var report = BulkReport(action: .discard)
        do {
            try queue.forEachChunk(of: selection, chunkSize: JobStore.bulkChunkSize) { ids in
                let refused = try queue.discardJobs(ids: ids)
                report.acted += ids.count - refused.count
                for refusal in refused { report.refuse(refusal.id, refusal.error.message) }
            }
        } catch {
            throw Self.stopped(report, error)
        }
        return report
    }

    /// Discards one failed or cancelled job (its counters stay).
    public func discard(id: Int64) throws(SyncError) {
        try writeQueue { queue in
            if let refusal = try queue.discardJobs(ids: [id]).first { throw refusal.error }
        }
    }

    /// Walks the selection in chunks, calling `act` for each job inside its chunk's transaction. A
    /// refusal of the service's or the queue's (a rule, a state) is the job's and is reported; any
    /// other error rolls back its chunk and stops, saying how far the action got.
    private func bulk(
        _ action: BulkReport.Action, _ selection: JobSelection, queue: any QueueAdminBackend,
        _ act: (Int64, inout BulkReport) throws -> Void
    ) throws(SyncError) -> BulkReport {
        var report = BulkReport(action: action)
        do {
            try queue.forEachChunk(of: selection, chunkSize: JobStore.bulkChunkSize) { ids in
                var chunk = BulkReport(action: action)
                for id in ids {
                    do { try act(id, &chunk) } catch let error as SyncError {
                        chunk.refuse(id, error.message)
                    } catch let error as QueueError {
                        chunk.refuse(id, error.message)
                    }
                }
                report.add(chunk)  // only once the chunk's work is done; a throw above discards it
            }
        } catch {
            throw Self.stopped(report, error)
        }
        return report
    }

    private static func stopped(_ report: BulkReport, _ error: any Error) -> SyncError {
        let wrapped = SyncError.wrap(error)
        return SyncError(
            wrapped.code,
            "the \(report.action.rawValue) stopped after acting on \(report.acted + report.requested) job(s): \(wrapped.message)")
    }

    private func retry(_ job: Job, database: SyncDatabase, now: Int64) throws {
        guard job.state == .failed || job.state == .cancelled else {
            throw SyncError(.conflict, "job \(job.id) is \(job.state.rawValue); only failed or cancelled jobs can be retried")
        }
        try EnqueueRules.check(kind: job.kind, integration: job.integration, store: database.store)
        let attempts = environment.policies.policy(for: job.kind)?.maxAttempts ?? 1
        try database.requeue(job.id, extraAttempts: attempts, now: now)
    }

    // MARK: - The rest of the queue's admin

    /// Opens (creating and migrating as needed) the queue file, so that a bad one fails before a
    /// worker starts.
    public func prepareQueue() throws(SyncError) {
        _ = try SyncDatabase(environment, access: .write)
    }

    public func jobs(matching filter: JobFilter) throws(SyncError) -> [Job] {
        try read { try $0.jobs(matching: filter) }
    }

    /// One page, newest first, with the next page's `before` (nil on the last page).
    public func jobPage(matching filter: JobFilter) throws(SyncError) -> JobPage {
        try read { try $0.jobPage(matching: filter) }
    }

    public func job(id: Int64) throws(SyncError) -> Job {
        guard let job = try read({ try $0.job(id: id) }) else { throw SyncError(.notFound, "job \(id) does not exist") }
        return job
    }

    public func cancel(id: Int64) throws(SyncError) -> CancelResult {
        try writeQueue { try $0.cancelJob(id: id) }
    }

    public func prune(olderThan milliseconds: Int64, now: Int64 = JobStore.now()) throws(SyncError) -> Int {
        try writeQueue { try $0.pruneJobs(olderThan: milliseconds, now: now) }
    }

    public func stats() throws(SyncError) -> QueueStats { try read { try $0.stats() } }

    public func workers() throws(SyncError) -> [WorkerRecord] { try read { try $0.workers() } }

    /// The registered workers and every running job with its worker, read together so they agree.
    public func workersWithHeldJobs() throws(SyncError) -> (workers: [WorkerRecord], held: [HeldJob]) {
        try read { queue in try queue.inReadTransaction { (try queue.workers(), try queue.heldJobs()) } }
    }

    // MARK: - Queues

    /// Pauses a queue: workers claim nothing from it (running jobs finish) until it is resumed. A
    /// queue need not have jobs yet. Answers false if it was already paused.
    @discardableResult
    public func pauseQueue(_ queue: String) throws(SyncError) -> Bool {
        try Self.checkQueueName(queue)
        return try writeQueue { try $0.pauseQueue(queue) }
    }

    /// Lets workers claim from a paused queue again. Answers false if it was not paused.
    @discardableResult
    public func resumeQueue(_ queue: String) throws(SyncError) -> Bool {
        try Self.checkQueueName(queue)
        return try writeQueue { try $0.resumeQueue(queue) }
    }

    /// Every queue with pending or failed jobs, or paused: depth by state, oldest available job, paused flag.
    public func queues() throws(SyncError) -> [QueueSummary] { try read { try $0.queueSummaries(using: nil) } }

    /// Jobs now in each state (every state, 0 when none), optionally of one kind and/or queue, from
    /// the state counters: the jobs page's tab counts, a handful of rows however many jobs there are.
    public func stateCounts(kind: String? = nil, queue: String? = nil) throws(SyncError) -> [JobState: Int] {
        try read { try $0.stateCounts(kind: kind, queue: queue) }
    }

    /// Jobs ended per hour and kind, from `since` (milliseconds) on: the console's activity chart.
    public func activity(since: Int64) throws(SyncError) -> [ActivityBucket] { try read { try $0.activity(since: since) } }

    // MARK: - Metrics

    /// The `/metrics` page (Prometheus text format 0.0.4): the queue's counters, histograms and
    /// pending counts, the queues, workers, integrations' statuses and open intake. Reads a handful
    /// of rows; never scans the jobs.
    public func metrics(version: String = MetricsReport.defaultVersion, now: Int64 = JobStore.now()) throws(SyncError) -> String {
        let database = try SyncDatabase(environment, access: .read)
        do {
            return try database.queue.inReadTransaction {
                // The counters are read once: the queues' depths come from the same rows.
                let jobs = try database.queue.jobMetrics()
                return MetricsReport(
                    jobs: jobs, queues: try database.queue.queueSummaries(using: jobs),
                    workers: try database.queue.workers().count,
                    integrations: try database.store.integrations().map { (id: $0.id, status: $0.status) },
                    intake: try database.store.openIntakeCounts(), imports: try database.store.importFigures(),
                    guardTrips: try database.store.guardTrips(),
                    version: version, now: now
                ).text
            }
        } catch {
            throw SyncError.wrap(error)
        }
    }

    private static func checkQueueName(_ queue: String) throws(SyncError) {
        guard PlainName.isValid(queue) else {
            throw SyncError(.invalidInput, "'\(OneLine.text(queue))' is not a queue name: letters, digits, '-' or '_'")
        }
    }

    private func openQueue(_ access: SyncDatabase.Access) throws(SyncError) -> any QueueAdminBackend {
        try SyncDatabase.openQueue(location: environment.databasePath, configuration: environment.connection, access: access)
    }

    private func read<T>(_ body: (any QueueAdminBackend) throws -> T) throws(SyncError) -> T {
        let queue = try openQueue(.read)
        do { return try body(queue) } catch { throw SyncError.wrap(error) }
    }

    private func writeQueue<T>(_ body: (any QueueAdminBackend) throws -> T) throws(SyncError) -> T {
        let queue = try openQueue(.write)
        do { return try body(queue) } catch { throw SyncError.wrap(error) }
    }
}
