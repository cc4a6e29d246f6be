/// One queue as an admin sees it: how many jobs wait in each pending state, how long the oldest
/// available one has waited, and whether the queue is paused.
public struct QueueSummary: Sendable, Equatable {
    public let name: String
    /// Jobs by state, for the states kept in small indexes (scheduled, available, running,
    /// retryable, failed). States with no jobs are absent.
    public let depth: [JobState: Int]
    /// Run-at of the longest-waiting available job, if any.
    public let oldestAvailableRunAt: Int64?
    /// When it was paused; nil when workers claim from it.
    public let pausedAt: Int64?

    public var isPaused: Bool { pausedAt != nil }

    public func count(_ state: JobState) -> Int { depth[state] ?? 0 }

    public init(name: String, depth: [JobState: Int], oldestAvailableRunAt: Int64?, pausedAt: Int64?) {
        self.name = name
        self.depth = depth
        self.oldestAvailableRunAt = oldestAvailableRunAt
        self.pausedAt = pausedAt
    }
}
