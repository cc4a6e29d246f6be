import Dispatch
import MISLinkQueue

/// Where a worker loop reads the time and waits. The system clock in production; tests inject a
/// virtual clock so that a retry due in an hour, a lease expiry or a timeout is reached at once.
public protocol WorkerClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func now() -> Int64
    /// Waits until `deadline` (on this clock) or until `bell` is rung, whichever comes first.
    func sleep(until deadline: Int64, bell: DispatchSemaphore)
}

/// Wall-clock time.
public struct SystemClock: WorkerClock {
    public init() {}

    public func now() -> Int64 { JobStore.now() }

    public func sleep(until deadline: Int64, bell: DispatchSemaphore) {
        let wait = max(0, deadline - now())
        _ = bell.wait(timeout: .now() + .milliseconds(Int(wait)))
    }
}
