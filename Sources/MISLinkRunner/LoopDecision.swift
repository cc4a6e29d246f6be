/// Where a worker is in its life.
public enum LoopPhase: Sendable, Equatable {
    /// Claiming and running jobs.
    case running
    /// Asked to stop: claims nothing more; running jobs have until `deadline` to finish.
    case stopping(deadline: Int64)
    /// The grace period is over (or a second signal came): running jobs are handed back, then it exits.
    case handingBack
}

/// Everything the loop's next step depends on, as plain values, so the step is a pure function that
/// tests drive with any clock reading.
public struct LoopSnapshot: Sendable, Equatable {
    public var phase: LoopPhase = .running
    public var concurrency: Int
    /// Extra jobs to hold claimed beyond the running ones (0: claim-ahead is off for now).
    public var claimAheadDepth: Int = 0
    public var running: Int = 0
    /// Claimed, not yet started.
    public var ahead: Int = 0
    /// Finished runs not yet committed, and since when the oldest has waited.
    public var pendingCompletions: Int = 0
    public var pendingSince: Int64?
    /// The last exchange found nothing more to claim, and nothing since (another process's commit,
    /// one of our own completions, a rescue) says otherwise.
    public var queueDrained: Bool = false
    /// When the next scheduled or retryable job falls due, as the last exchange read it.
    public var nextDueAt: Int64?
    /// Whether a job is available or retryable in this worker's queues (for `--drain`).
    public var runnableLeft: Bool = true
    public var drain: Bool = false
    /// Times the loop must wake for regardless of the queue: heartbeat, rescue, a running job's
    /// timeout, a claimed-ahead job's hold limit.
    public var timers: [Int64] = []
    /// How often an idle worker looks for other processes' commits.
    public var pollInterval: Int64 = 2
    /// Completions wait at most this long while claimed-ahead jobs keep the worker busy.
    public var maxCompletionDelay: Int64 = 5
    /// Commit at once when this many completions wait.
    public var completionBatch: Int = 64

    public init(concurrency: Int) { self.concurrency = concurrency }

    var held: Int { running + ahead }
}

/// The loop's next step.
public enum LoopDecision: Sendable, Equatable {
    /// One transaction: commit the pending completions (if any) and claim up to `claim` jobs (may be 0).
    case exchange(claim: Int)
    /// Nothing to do before `until` (or before the bell rings: a run finished, a signal came).
    case sleep(until: Int64)
    case exit
}

extension LoopSnapshot {
    /// How many jobs to claim now.
    public func claimLimit(now: Int64) -> Int {
        guard phase == .running, held < concurrency else { return 0 }
        let due = nextDueAt.map { $0 <= now } ?? false
        guard !queueDrained || due else { return 0 }
        return concurrency + claimAheadDepth - held
    }

    /// Whether the pending completions must be committed now rather than batched with later ones.
    public func completionsDue(now: Int64) -> Bool {
        guard pendingCompletions > 0 else { return false }
        return phase != .running || ahead == 0 || pendingCompletions >= completionBatch
            || now - (pendingSince ?? now) >= maxCompletionDelay
    }

    /// The next step at `now`.
    public func decide(now: Int64) -> LoopDecision {
        let idle = running == 0 && ahead == 0 && pendingCompletions == 0
        if phase != .running && idle { return .exit }
        let claim = claimLimit(now: now)
        if claim > 0 || completionsDue(now: now) { return .exchange(claim: claim) }
        if drain && phase == .running && idle && queueDrained && !runnableLeft { return .exit }
        return .sleep(until: wakeTime(now: now))
    }

    /// The earliest moment something needs the loop, if nothing rings the bell first.
    func wakeTime(now: Int64) -> Int64 {
        var wake = timers.min() ?? now + 1_000
        if pendingCompletions > 0, let since = pendingSince { wake = min(wake, since + maxCompletionDelay) }
        if case .stopping(let deadline) = phase { wake = min(wake, deadline) }
        if phase == .running && held < concurrency {
            // A free slot: look for other processes' commits, and wake exactly when a job falls due.
            wake = min(wake, now + pollInterval)
            if let due = nextDueAt { wake = min(wake, due) }
        }
        return max(wake, now)
    }
}
