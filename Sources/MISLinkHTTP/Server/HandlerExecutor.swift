import Dispatch

/// Where the handlers' tasks run: Dispatch threads of the server's own rather than Swift's cooperative
/// pool. With 2 cores that pool has 2 threads, and a job handler doing CPU work in the same process
/// (`mislink worker --serve`) would otherwise keep the console from answering, and so trip its timeouts.
/// An actor the handler calls still runs on its own executor; only the handler's own code runs here.
final class HandlerExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "mislink.http.handlers", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
