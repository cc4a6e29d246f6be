/// What one exchange with the queue returned: the jobs it claimed, and what the worker needs to know
/// of the queue until the next one. The worker keeps no cache of its own beside this.
public struct Exchange: Sendable, Equatable {
    /// Highest priority first.
    public var claimed: [ClaimedJob]
    /// The earliest run-at of a scheduled or retryable job, read after this exchange's own writes
    /// (so a retry or snooze it just recorded counts): when a job next falls due. Nil: none waits,
    /// or the claim filled its limit (the worker asks again at once, and learns it then).
    public var nextDueAt: Int64?
    /// Whether the claim found fewer jobs than it asked for (nothing more is claimable for this worker
    /// now). Nil when the exchange claimed nothing because it asked for nothing.
    public var drained: Bool?

    public init(claimed: [ClaimedJob], nextDueAt: Int64?, drained: Bool?) {
        self.claimed = claimed
        self.nextDueAt = nextDueAt
        self.drained = drained
    }
}
