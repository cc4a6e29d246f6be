import Dispatch

/// Runs an actor's jobs one at a time on its own `DispatchQueue`, so that blocking SQLite calls
/// (a busy timeout can wait seconds) never hold a thread of the cooperative pool. Linux has no
/// `DispatchSerialQueue` to use as an executor directly.
final class DispatchQueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
