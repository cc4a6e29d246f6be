import MISLinkQueue
import MISLinkSync

/// What the queue commands (`enqueue`, `jobs show|list`, `workers`, `queue pause|resume`) ask of the
/// queue: the service layer, with every sync rule, on either back end, its errors as the CLI's.
struct SyncQueueAdmin {
    let admin: JobAdmin

    func enqueue(_ request: JobRequest) throws -> EnqueueResult { try admin.enqueue(request) }

    func enqueue(batch requests: [JobRequest], commitEvery: Int?) throws(BatchFailure) -> [EnqueueResult] {
        do { return try admin.enqueue(batch: requests, commitEvery: commitEvery) } catch {
            throw BatchFailure(index: error.index, error: CLIError(message: error.error.message, exitCode: error.error.cliError.exitCode))
        }
    }
    func job(id: Int64) throws -> Job { try admin.job(id: id) }
    func jobPage(matching filter: JobFilter) throws -> JobPage { try admin.jobPage(matching: filter) }
    func workers() throws -> [WorkerRecord] { try admin.workers() }
    func pauseQueue(_ queue: String) throws -> Bool { try admin.pauseQueue(queue) }
    func resumeQueue(_ queue: String) throws -> Bool { try admin.resumeQueue(queue) }
}
