import Dispatch

/// A task executor on a concurrent `DispatchQueue` of its own, for tasks that must not wait behind
/// whatever else holds Swift's cooperative pool (on 2 cores it has 2 threads). The worker runs job
/// handlers here, and the HTTP server its request handlers, so neither starves the other in one
/// process (`mislink worker --serve`), and a handler that blocks its thread delays only itself.
/// An actor a task calls still runs on the actor's own executor; only the task's own code runs here.
public final class DispatchTaskExecutor: TaskExecutor {
    private let queue: DispatchQueue

    /// `qos` above the default gives the executor's threads a root queue of their own, so its
    /// tasks are not queued behind the default executor's (the worker's urgent jobs).
    public init(label: String, qos: DispatchQoS = .unspecified) {
        queue = DispatchQueue(label: label, qos: qos, attributes: .concurrent)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
