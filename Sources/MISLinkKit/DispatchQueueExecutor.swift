import Dispatch

/// Runs an actor's jobs one at a time on its own `DispatchQueue`, so that blocking calls (SQLite
/// with a busy timeout can wait seconds) never hold a thread of Swift's cooperative pool. Linux has
/// no `DispatchSerialQueue` to use as an executor directly. For plugins and for MISLink's own stores:
/// give the actor `nonisolated var unownedExecutor { executor.asUnownedSerialExecutor() }`.
public final class DispatchQueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
