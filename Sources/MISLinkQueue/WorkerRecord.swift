/// A worker process as it registers itself, so admins can see it and peers can rescue its jobs.
public struct WorkerRecord: Sendable, Equatable {
    public let id: String
    public let host: String
    public let pid: Int32
    /// The process's start time as the kernel reports it; tells a live worker from a reused pid.
    public let processStart: String?
    /// Nil: every queue.
    public let queues: [String]?
    public let concurrency: Int
    public let startedAt: Int64
    public var heartbeatAt: Int64
    public let leaseMilliseconds: Int64
    /// Jobs it holds right now (filled in by `workers()`).
    public var runningJobs: Int = 0

    public init(
        id: String, host: String, pid: Int32, processStart: String?, queues: [String]?, concurrency: Int,
        startedAt: Int64, heartbeatAt: Int64, leaseMilliseconds: Int64
    ) {
        self.id = id
        self.host = host
        self.pid = pid
        self.processStart = processStart
        self.queues = queues
        self.concurrency = concurrency
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.leaseMilliseconds = leaseMilliseconds
    }
}
