import Dispatch

/// How an idle worker hears that another process may have added work: the one wake-up seam the
/// worker loop uses, whatever the back end. SQLite polls `PRAGMA data_version` (cheap, on this
/// machine); PostgreSQL LISTENs for the queue's NOTIFY, with a slower poll as the fallback, or only
/// polls (behind PgBouncer in transaction mode, which cannot LISTEN).
///
/// A hint, never the only way to find work: a worker acts on `takeChanged()` by exchanging with the
/// queue, which tells it the truth.
public protocol QueueWakeUps: AnyObject {
    /// How often an idle worker with a free slot looks (calls `takeChanged()`), in milliseconds.
    var pollIntervalMilliseconds: Int64 { get }
    /// Starts listening, if this source listens; `bell` is rung when work may have arrived, so a
    /// sleeping worker wakes at once.
    func start(bell: DispatchSemaphore) throws
    /// Whether another process may have added work since the last call.
    func takeChanged() throws -> Bool
    /// Stops listening (idempotent).
    func stop()
}
