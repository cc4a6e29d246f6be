import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// The queue commands on PostgreSQL: a job is checked against its policy and the handlers a worker
/// there runs; a sync kind also against its integration's status (`EnqueueRules`) in the sync
/// store there. The check and the insert are two transactions here, not one as on SQLite: a job
/// let in just as its integration is switched off finds it off when it runs, and says so.
struct BackendQueueAdmin: QueueAdmin {
    let backend: any QueueBackend
    let policies: PolicySet
    /// The kinds a worker on this queue runs (`BuiltInHandlers`), whose `validate` checks payloads.
    let handlers: HandlerRegistry
    /// How the queue is named in messages (a URL's password as ***).
    let location: String
    /// The sync store beside the queue, for the rules of the sync kinds.
    let store: () throws -> IntegrationStore

    func enqueue(_ request: JobRequest) throws -> EnqueueResult {
        try backend.enqueue(job: try resolve(request))
    }

    func enqueue(batch requests: [JobRequest], commitEvery: Int?) throws(BatchFailure) -> [EnqueueResult] {
        var jobs: [NewJob] = []
        for (index, request) in requests.enumerated() {
            do { jobs.append(try resolve(request)) } catch { throw BatchFailure(index: index + 1, error: Self.cliError(error)) }
        }
        let chunk = max(1, commitEvery ?? jobs.count)
        var results: [EnqueueResult] = []
        for start in stride(from: 0, to: jobs.count, by: chunk) {
            do { results += try backend.enqueue(jobs: Array(jobs[start..<min(start + chunk, jobs.count)])) } catch {
                throw BatchFailure(index: 0, error: Self.cliError(error))
            }
        }
        return results
    }

    /// The job to write, with its policy's defaults; a sync kind only if its integration's status allows it.
    private func resolve(_ request: JobRequest) throws -> NewJob {
        let job = try request.resolve(policies: policies, handlers: handlers, now: JobStore.now())
        if EnqueueRules.syncKinds.contains(job.kind) {
            try EnqueueRules.check(kind: job.kind, integration: job.integration, store: try store())
        }
        return job
    }

    private static func cliError(_ error: any Error) -> CLIError {
        switch error {
        case let error as CLIError: error
        case let error as SyncError: error.cliError
        case let error as QueueError: error.cliError
        default: .failure("\(error)")
        }
    }

    func job(id: Int64) throws -> Job {
        guard let job = try backend.job(id: id) else { throw CLIError.failure("job \(id) does not exist") }
        return job
    }

    func jobPage(matching filter: JobFilter) throws -> JobPage { try backend.jobPage(matching: filter) }
    func workers() throws -> [WorkerRecord] { try backend.workers() }
    func pauseQueue(_ queue: String) throws -> Bool { try backend.pauseQueue(queue) }
    func resumeQueue(_ queue: String) throws -> Bool { try backend.resumeQueue(queue) }
}
