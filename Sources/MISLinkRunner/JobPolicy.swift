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

/// The job kinds MISLink knows, and their default policies.
public enum JobKinds {
    public static let initialUpload = "initial-upload"
    public static let nightlyImport = "nightly-import"
    public static let rematch = "rematch"
    public static let rerunWizard = "rerun-wizard"
    public static let writeBack = "write-back"
    public static let leaverToRecycleBin = "leaver-to-recycle-bin"
    /// Health checks, tests and benchmarks.
    public static let noop = "noop"

    /// Every kind, in the order `mislink` lists them.
    public static let all = [initialUpload, nightlyImport, rematch, rerunWizard, writeBack, leaverToRecycleBin, noop]

    private static let minute: Int64 = 60_000
    private static let hour: Int64 = 3_600_000

    /// Compiled-in defaults; a file in `jobs/` overrides any of their keys.
    public static let defaultPolicies: [String: JobPolicy] = [
        initialUpload: JobPolicy(
            queue: "imports", priority: 10, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: minute, maxMilliseconds: hour), timeoutMilliseconds: 4 * hour),
        nightlyImport: JobPolicy(
            queue: "imports", priority: 0, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: 5 * minute, maxMilliseconds: 2 * hour),
            timeoutMilliseconds: 2 * hour, schedule: DailySchedule(hour: 2, minute: 0, timeZone: "Europe/London")),
        rematch: JobPolicy(
            queue: "default", priority: 20, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: minute, maxMilliseconds: hour), timeoutMilliseconds: 30 * minute),
        rerunWizard: JobPolicy(
            queue: "default", priority: 20, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: minute, maxMilliseconds: hour), timeoutMilliseconds: hour),
        // Its own queue and the top priority: a late mark must reach the MIS within minutes.
        writeBack: JobPolicy(
            queue: "write-back", priority: 100, maxAttempts: 10,
            backoff: Backoff(initialMilliseconds: 5_000, maxMilliseconds: 5 * minute), timeoutMilliseconds: 30_000),
        leaverToRecycleBin: JobPolicy(
            queue: "default", priority: 10, maxAttempts: 5,
            backoff: Backoff(initialMilliseconds: minute, maxMilliseconds: hour), timeoutMilliseconds: 5 * minute),
        noop: JobPolicy(
            queue: "default", priority: 0, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: 1_000, maxMilliseconds: minute), timeoutMilliseconds: 30_000),
    ]
}
