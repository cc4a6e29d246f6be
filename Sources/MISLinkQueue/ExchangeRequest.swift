/// One worker turn's exchange with the queue.
public struct ExchangeRequest: Sendable {
    public var completions: [Completion]
    public var workerID: String
    /// Free slots: how many jobs to claim (0 claims none).
    public var limit: Int
    /// The queues to claim from; nil: all.
    public var queues: [String]?
    /// Queues to skip this turn (the worker runs as many of their jobs as it allows itself).
    public var excludingQueues: Set<String>
    public var leaseMilliseconds: Int64
    /// The worker's clock when it made the outcomes' times (a retry's or a snooze's run-at). A back end
    /// with a clock of its own keeps only the delays (`retryAt - workerNow`), so a worker whose
    /// clock is off does not shift them; SQLite, on the worker's own machine, keeps the times.
    public var workerNow: Int64

    public init(
        completions: [Completion] = [], workerID: String, limit: Int, queues: [String]? = nil,
        excludingQueues: Set<String> = [], leaseMilliseconds: Int64, workerNow: Int64 = JobStore.now()
    ) {
        self.workerNow = workerNow
        self.completions = completions
        self.workerID = workerID
        self.limit = limit
        self.queues = queues
        self.excludingQueues = excludingQueues
        self.leaseMilliseconds = leaseMilliseconds
    }
}
