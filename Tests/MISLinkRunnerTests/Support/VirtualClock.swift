import Dispatch
import MISLinkRunner
import SQLiteDB
import Synchronization

/// A worker clock whose time jumps. While a job is running on the queue (from its claim to the commit
/// of its completion), time passes as it really does: the job's own work takes real time, and the loop
/// must not leap past its timeout or its next retry meanwhile. When none runs, a sleep moves time
/// straight to its deadline. A retry due in an hour is reached in milliseconds, and the test sees
/// exactly when, on this clock, each job started.
final class VirtualClock: WorkerClock {
    private let time: Mutex<Int64>
    /// The queue whose running jobs hold time to the real pace; nil: time always leaps (for tests of
    /// handlers that hang on purpose: a timeout, a shutdown).
    private let queuePath: String?
    /// Only this worker's running jobs count (a job another worker stalled on must not hold time back).
    private let workerID = Mutex<String?>(nil)

    init(start: Int64, queue: String?) {
        time = Mutex(start)
        queuePath = queue
    }

    /// Counts only `worker`'s jobs from now on.
    func watch(_ worker: Worker) { workerID.withLock { $0 = worker.id } }

    func now() -> Int64 { time.withLock { $0 } }

    func sleep(until deadline: Int64, bell: DispatchSemaphore) {
        if jobsRunning() {
            let began = DispatchTime.now().uptimeNanoseconds
            _ = bell.wait(timeout: .now() + .milliseconds(Int(max(1, min(deadline - now(), 200)))))
            let elapsed = Int64((DispatchTime.now().uptimeNanoseconds - began) / 1_000_000)
            time.withLock { $0 = max($0, min($0 + elapsed, deadline)) }
            return
        }
        if bell.wait(timeout: .now() + .milliseconds(1)) == .success { return }
        time.withLock { $0 = max($0, deadline) }
    }

    private func jobsRunning() -> Bool {
        guard let queuePath, let connection = try? Connection(path: queuePath) else { return false }
        let owner = workerID.withLock { $0 }
        let sql = "SELECT count(*) FROM jobs WHERE state = 'running' AND (?1 IS NULL OR lease_owner = ?1)"
        return ((try? connection.scalarInt(sql, [owner])) ?? 0) > 0
    }
}
