import Dispatch
import Synchronization

/// A task executor on a concurrent `DispatchQueue` of its own, for tasks that must not wait behind
/// whatever else holds Swift's cooperative pool (on 2 cores it has 2 threads). The worker runs job
/// handlers here, and the HTTP server its request handlers, so neither starves the other in one
/// process (`mislink worker --serve`), and a handler that blocks its thread delays only itself.
/// An actor a task calls still runs on the actor's own executor; only the task's own code runs here.
///
/// With a `width`, at most that many of its tasks' jobs run at once, on that many threads. Without
/// one, dispatch gives a busy queue as many threads as it has runnable jobs: a dozen imports
/// decoding at once then meant a dozen runnable threads, and a write-back's thread got a thirteenth
/// of the CPU. Bounded, the imports keep the cores busy and leave room for what is urgent.
public final class DispatchTaskExecutor: TaskExecutor, Sendable {
    private let queue: DispatchQueue
    private let width: Int?
    private let backlog = Mutex<(jobs: [UnownedJob], head: Int, draining: Int)>(([], 0, 0))

    /// `qos` above the default gives the executor's threads a root queue of their own, so its
    /// tasks are not queued behind the default executor's (the worker's urgent jobs).
    public init(label: String, qos: DispatchQoS = .unspecified, width: Int? = nil) {
        queue = DispatchQueue(label: label, qos: qos, attributes: .concurrent)
        self.width = width.map { max(1, $0) }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        guard let width else {
            queue.async { job.runSynchronously(on: executor) }
            return
        }
        let startDrain = backlog.withLock { state in
            state.jobs.append(job)
            guard state.draining < width else { return false }
            state.draining += 1
            return true
        }
        if startDrain { queue.async { self.drain(executor) } }
    }

    /// Runs queued jobs in order until none are left; one such loop per thread, `width` at most.
    private func drain(_ executor: UnownedTaskExecutor) {
        while let job = next() { job.runSynchronously(on: executor) }
    }

    private func next() -> UnownedJob? {
        backlog.withLock { state in
            guard state.head < state.jobs.count else {
                state.jobs.removeAll(keepingCapacity: true)
                state.head = 0
                state.draining -= 1
                return nil
            }
            let job = state.jobs[state.head]
            state.head += 1
            // Keep the array from growing without end under a steady stream.
            if state.head >= 1024 && state.head * 2 >= state.jobs.count {
                state.jobs.removeFirst(state.head)
                state.head = 0
            }
            return job
        }
    }
}
