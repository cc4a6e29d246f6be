import Dispatch
import MISLinkRunner
import Synchronization

/// A worker clock whose time jumps: a sleep first gives real work (handler tasks, which ring the bell
/// when they finish) a moment, then moves time straight to the deadline. A retry due in an hour is
/// reached in milliseconds, and the test sees exactly when, on this clock, each job started.
final class VirtualClock: WorkerClock {
    private let time: Mutex<Int64>

    init(start: Int64) { time = Mutex(start) }

    func now() -> Int64 { time.withLock { $0 } }

    func sleep(until deadline: Int64, bell: DispatchSemaphore) {
        if bell.wait(timeout: .now() + .milliseconds(20)) == .success { return }
        time.withLock { $0 = max($0, deadline) }
    }
}
