/// The queue's lasting totals and histogram buckets, as `job_counters` keeps them: what a metrics
/// scrape renders. Read in a handful of rows; pruning jobs never changes them.
public struct JobMetrics: Sendable, Equatable {
    public struct Counter: Sendable, Equatable {
        public let kind: String
        public let queue: String
        /// One of the `JobMetrics` counter names, or a histogram's millisecond sum.
        public let name: String
        public let value: Int64
    }

    /// How many runs of a kind and queue fell in one histogram bucket (not cumulative).
    public struct Bucket: Sendable, Equatable {
        public let kind: String
        public let queue: String
        /// `durationMetric` or `waitMetric`.
        public let metric: String
        /// The bucket's upper bound in milliseconds; `infinity` for the last.
        public let le: Int64
        public let count: Int64
    }

    /// Jobs now in a pending state (or failed) of a kind and queue, from the state counters.
    public struct StateCount: Sendable, Equatable {
        public let state: JobState
        public let kind: String
        public let queue: String
        public let count: Int
    }

    public let counters: [Counter]
    public let buckets: [Bucket]
    public let states: [StateCount]

    public init(counters: [Counter], buckets: [Bucket], states: [StateCount] = []) {
        self.counters = counters
        self.buckets = buckets
        self.states = states
    }

    /// A counter's value (0 when never counted).
    public func value(_ name: String, kind: String, queue: String) -> Int64 {
        counters.first { $0.kind == kind && $0.queue == queue && $0.name == name }?.value ?? 0
    }

    // Counter names.
    public static let enqueued = "enqueued"
    public static let succeeded = "succeeded"
    /// Ended failed (no attempts left, or permanent).
    public static let failed = "failed"
    /// An attempt failed and the job will be tried again.
    public static let retried = "retried"
    public static let cancelled = "cancelled"
    /// A run that ended without a report (its worker died or its lease expired).
    public static let rescued = "rescued"

    /// A finished attempt's run time: finish − start.
    public static let durationMetric = "duration"
    /// How long a job waited to start: start − run-at.
    public static let waitMetric = "wait"
    /// A histogram's sum of milliseconds is the counter named `metric + sumSuffix`.
    public static let sumSuffix = "_ms_sum"

    /// Bucket upper bounds in milliseconds, 5 ms to an hour; runs longer than the last fall in +Inf.
    public static let bucketBounds: [Int64] = [
        5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000,
    ]
    /// The +Inf bucket's stored bound.
    public static let infinity = Int64.max
    /// The `le` of a row that is a plain counter or a sum, not a bucket.
    package static let plainCounter: Int64 = -1

    /// The states `states` reports: the ones a scrape shows as they are now. Succeeded and cancelled
    /// are shown as lasting totals instead, since pruning removes their jobs.
    static let currentStates: [JobState] = [.scheduled, .available, .running, .retryable, .failed]

    /// The `job_counters` name of the count of jobs now in a state (`state:available`). Kept beside the
    /// totals so that a commit's counter writes stay on one small table (see migration 5).
    static func stateCounter(_ state: JobState) -> String { stateCounterNames[state.counterSlot] }
    package static let stateCounterPrefix = "state:"
    static let stateCounterNames = JobState.allCases.map { stateCounterPrefix + $0.rawValue }

    /// The state a `state:…` counter counts, nil for any other counter.
    static func countedState(_ name: String) -> JobState? {
        guard name.hasPrefix(stateCounterPrefix) else { return nil }
        return JobState(rawValue: String(name.dropFirst(stateCounterPrefix.count)))
    }
}

extension JobState {
    /// The state's index in `allCases`, by a switch: the tally looks it up for every job it counts.
    var counterSlot: Int {
        switch self {
        case .scheduled: 0
        case .available: 1
        case .running: 2
        case .retryable: 3
        case .succeeded: 4
        case .failed: 5
        case .cancelled: 6
        }
    }
}

// Factories for other back ends' modules (as in QueueBackend.swift), where the memberwise
// initialisers are out of reach.

extension JobMetrics.Counter {
    package static func backend(kind: String, queue: String, name: String, value: Int64) -> JobMetrics.Counter {
        JobMetrics.Counter(kind: kind, queue: queue, name: name, value: value)
    }
}

extension JobMetrics.Bucket {
    package static func backend(kind: String, queue: String, metric: String, le: Int64, count: Int64) -> JobMetrics.Bucket {
        JobMetrics.Bucket(kind: kind, queue: queue, metric: metric, le: le, count: count)
    }
}
