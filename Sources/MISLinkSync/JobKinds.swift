import MISLinkRunner

/// The six sync kinds, their default policies and the queue limits they need. The runner knows none
/// of this: the program joins `catalog` to the runner's own kinds.
public enum JobKinds {
    public static let initialUpload = "initial-upload"
    public static let nightlyImport = "nightly-import"
    public static let rematch = "rematch"
    public static let rerunWizard = "rerun-wizard"
    public static let writeBack = "write-back"
    public static let leaverToRecycleBin = "leaver-to-recycle-bin"
    /// The kinds that plan before they write: each can make a plan for review (`--plan-only`) and
    /// apply one (`plan apply`).
    public static let planned: Set<String> = [initialUpload, nightlyImport, rematch, rerunWizard]
    /// Reverses a past import plan's changes (`mislink plan undo`).
    public static let planUndo = "plan-undo"
    /// The runner's health-check kind, listed with ours.
    public static let noop = BuiltInKinds.noop

    /// The queue that long imports share; a worker keeps a slot free of it.
    public static let importsQueue = "imports"

    private static let minute: Int64 = 60_000
    private static let hour: Int64 = 3_600_000

    /// The sync kinds with their compiled-in defaults; a file in `jobs/` overrides any of their keys.
    public static let syncCatalog = KindCatalog([
        (initialUpload, JobPolicy(
            queue: importsQueue, priority: 10, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: minute, maxMilliseconds: hour), timeoutMilliseconds: 4 * hour)),
        (nightlyImport, JobPolicy(
            queue: importsQueue, priority: 0, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: 5 * minute, maxMilliseconds: 2 * hour),
            timeoutMilliseconds: 2 * hour, schedule: DailySchedule(hour: 2, minute: 0, timeZone: "Europe/London"))),
        (rematch, JobPolicy(
            queue: "default", priority: 20, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: minute, maxMilliseconds: hour), timeoutMilliseconds: 30 * minute)),
        (rerunWizard, JobPolicy(
            queue: "default", priority: 20, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: minute, maxMilliseconds: hour), timeoutMilliseconds: hour)),
        // Its own queue and the top priority: a late mark must reach the MIS within minutes.
        (writeBack, JobPolicy(
            queue: "write-back", priority: 100, maxAttempts: 10,
            backoff: Backoff(initialMilliseconds: 5_000, maxMilliseconds: 5 * minute), timeoutMilliseconds: 30_000)),
        (leaverToRecycleBin, JobPolicy(
            queue: "default", priority: 10, maxAttempts: 5,
            backoff: Backoff(initialMilliseconds: minute, maxMilliseconds: hour), timeoutMilliseconds: 5 * minute)),
        (planUndo, JobPolicy(
            queue: "default", priority: 20, maxAttempts: 3,
            backoff: Backoff(initialMilliseconds: minute, maxMilliseconds: hour), timeoutMilliseconds: hour)),
    ])

    /// Every kind this program runs: the sync kinds, then the runner's own.
    public static let catalog = syncCatalog.adding(BuiltInKinds.catalog)

    /// Every kind, in the order `mislink` lists them.
    public static let all = catalog.kinds

    /// Compiled-in defaults of every kind.
    public static let defaultPolicies = catalog.defaults

    /// The sync kinds.
    public static let syncKinds = Set(syncCatalog.kinds)

    /// Kinds that change the target. At most one of them runs at a time per integration, whichever
    /// worker or process claims it: two imports at once would both create the same new people.
    /// Write-back only writes to the MIS, so it never waits behind a two-hour import.
    public static let touchingTarget: Set<String> = [
        initialUpload, nightlyImport, rematch, rerunWizard, leaverToRecycleBin, planUndo,
    ]

    /// The concurrency key a job of `kind` for `integration` carries (nil: none).
    public static func concurrencyKey(kind: String, integration: String?) -> String? {
        guard let integration, touchingTarget.contains(kind) else { return nil }
        return "integration:" + integration
    }

    /// A worker keeps a quarter of its slots (at least one) free of imports, so write-back never
    /// waits behind them. One slot was too few on a vendor's night: a Wonde write-back waits on
    /// three requests and its ledger's fsyncs, so one slot carried fewer marks a second than came.
    public static func defaultQueueLimits(concurrency: Int) -> [String: Int] {
        concurrency > 1 ? [importsQueue: concurrency - reservedForWriteBack(concurrency: concurrency)] : [:]
    }

    /// The slots `defaultQueueLimits` keeps free of imports: concurrency / 4, at least 1.
    public static func reservedForWriteBack(concurrency: Int) -> Int { max(1, concurrency / 4) }
}
