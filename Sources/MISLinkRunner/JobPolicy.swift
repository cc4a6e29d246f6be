/// How jobs of one kind are queued and retried: read from `jobs/<kind>.json` over compiled-in defaults.
public struct JobPolicy: Sendable, Equatable {
    public var queue: String
    /// Higher runs first.
    public var priority: Int
    public var maxAttempts: Int
    public var backoff: Backoff
    /// A run longer than this is cancelled and counted as a retryable failure.
    public var timeoutMilliseconds: Int64
    /// When the kind runs by itself each day (nightly import only).
    public var schedule: DailySchedule?

    public init(
        queue: String, priority: Int, maxAttempts: Int, backoff: Backoff, timeoutMilliseconds: Int64,
        schedule: DailySchedule? = nil
    ) {
        self.queue = queue
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.timeoutMilliseconds = timeoutMilliseconds
        self.schedule = schedule
    }
}

/// A time of day in a time zone (`02:00` in `Europe/London`).
public struct DailySchedule: Sendable, Equatable {
    public var hour: Int
    public var minute: Int
    public var timeZone: String

    public init(hour: Int, minute: Int, timeZone: String) {
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
    }

    public var timeText: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}

/// The kinds the runner itself provides.
public enum BuiltInKinds {
    /// Health checks, tests and benchmarks.
    public static let noop = "noop"

    /// `noop`'s compiled-in policy.
    public static let catalog = KindCatalog([
        (noop, JobPolicy(
            queue: "default", priority: 0, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: 1_000, maxMilliseconds: 60_000), timeoutMilliseconds: 30_000))
    ])
}

/// The job kinds a process knows, each with its compiled-in default policy, in the order `mislink`
/// lists them. The runner knows only its own (`noop`); a module that adds kinds (the sync engine)
/// supplies a catalog of its own, which the program joins to this one.
public struct KindCatalog: Sendable, Equatable {
    public private(set) var kinds: [String] = []
    public private(set) var defaults: [String: JobPolicy] = [:]

    public init(_ entries: [(kind: String, policy: JobPolicy)] = []) {
        for entry in entries { add(entry.kind, entry.policy) }
    }

    /// A kind named twice is a programming error.
    public mutating func add(_ kind: String, _ policy: JobPolicy) {
        precondition(defaults[kind] == nil, "job kind '\(kind)' is in the catalog twice")
        kinds.append(kind)
        defaults[kind] = policy
    }

    /// This catalog followed by `other`'s kinds.
    public func adding(_ other: KindCatalog) -> KindCatalog {
        var joined = self
        for kind in other.kinds { joined.add(kind, other.defaults[kind]!) }
        return joined
    }

    /// Kinds that run on a daily schedule: those whose default policy has one.
    public var scheduled: [String] { kinds.filter { defaults[$0]?.schedule != nil } }
}
