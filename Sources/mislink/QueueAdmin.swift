import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// What the queue commands that run on either back end (`enqueue KIND`, `jobs show`, `jobs list`,
/// `workers`, `queue pause|resume`) ask of the queue. `CLIContext.queueAdmin` picks the
/// implementation once; the commands never ask which back end they are on.
protocol QueueAdmin {
    func enqueue(_ request: JobRequest) throws -> EnqueueResult
    /// Checks every request first, then writes them in transactions of `commitEvery` (default: all).
    func enqueue(batch requests: [JobRequest], commitEvery: Int?) throws(BatchFailure) -> [EnqueueResult]
    func job(id: Int64) throws -> Job
    func jobPage(matching filter: JobFilter) throws -> JobPage
    func workers() throws -> [WorkerRecord]
    func pauseQueue(_ queue: String) throws -> Bool
    func resumeQueue(_ queue: String) throws -> Bool
}

/// A batch line that stopped a batch: its index from 1 (0: no one line is to blame), and why.
struct BatchFailure: Error {
    let index: Int
    let error: CLIError
}

extension QueueError {
    /// Bad input is exit 2, as everywhere; the rest exit 1.
    var cliError: CLIError { code == .invalidInput ? .usage(message) : .failure(message) }
}
