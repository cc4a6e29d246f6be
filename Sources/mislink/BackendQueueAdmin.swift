import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// On a queue alone (PostgreSQL, for now without the sync store): generic job kinds only, checked
/// against their policies and the handlers a worker on it runs. A sync kind is refused by name:
/// its rules need the integrations, which are not on PostgreSQL yet.
struct BackendQueueAdmin: QueueAdmin {
    let backend: any QueueBackend
    let policies: PolicySet
    /// The kinds a worker on this queue runs (`BuiltInHandlers`), whose `validate` checks payloads.
    let handlers: HandlerRegistry
    /// How the queue is named in messages (a URL's password as ***).
    let location: String

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

    /// The job to write: a generic kind, with its policy's defaults.
    private func resolve(_ request: JobRequest) throws -> NewJob {
        if JobKinds.syncKinds.contains(request.kind) {
            throw CLIError.usage(
                "\(request.kind) jobs need integrations, which are not on PostgreSQL yet (\(location)); "
                    + "on PostgreSQL the queue runs the generic kinds: \(handlers.kinds.joined(separator: ", "))")
        }
        return try request.resolve(policies: policies, handlers: handlers, now: JobStore.now())
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
