import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import PostgresDB

/// Looking after the queue's file: `mislink doctor`'s checks and `mislink backup`.
public struct QueueMaintenance: Sendable {
    public let environment: SyncEnvironment
    /// A WAL bigger than this is worth a look (a reader held open for hours stops checkpoints).
    public var walWarningBytes: Int64 = 256 << 20
    /// Free space below these on the database's disk: a warning, then a failure.
    public var diskWarningBytes: Int64 = 1 << 30
    public var diskFailureBytes: Int64 = 100 << 20

    public init(environment: SyncEnvironment) { self.environment = environment }

    /// Copies the queue (jobs and sync tables) to a new file, safely while workers run. Restore by
    /// pointing `--db` at the copy. Answers the copy's size in bytes.
    public func backup(to path: String) throws(SyncError) -> Int64 {
        let queue = try SyncDatabase.openSQLiteQueue(environment, access: .read, for: "mislink backup")
        do {
            try queue.backup(to: path)
        } catch {
            throw SyncError(.failed, OneLine.text("\(error)"))
        }
        return Self.size(of: path) ?? 0
    }

    /// Every check, worst last in importance order as listed.
    public func doctor(now: Int64 = JobStore.now()) throws(SyncError) -> [DoctorCheck] {
        let path = environment.databasePath
        if case .postgres(let url)? = try? QueueDatabase(path) { return try postgresDoctor(url) }
        let queue = try SyncDatabase.openSQLiteQueue(environment, access: .read, for: "the SQLite checks")
        do {
            let store = try IntegrationStore(connection: queue.connection)
            return try [
                integrity(queue),
                schema(queue, store),
                wal(path),
                disk(path),
                jobCounts(queue),
                orphanedJobs(queue),
                heartbeats(queue, now: now),
                integrationsInError(store),
                history(store, now: now),
                permissions(path),
            ]
        } catch {
            throw SyncError.wrap(error)
        }
    }

    /// The checks that mean something on a PostgreSQL server, whose integrity, WAL, disk and files
    /// are its own to look after: the schemas, running jobs without a worker, silent workers (on the
    /// database's clock) and integrations in Error.
    private func postgresDoctor(_ url: PostgresURL) throws(SyncError) -> [DoctorCheck] {
        do {
            let queue = try PostgresJobStore(url: url)
            let store = try IntegrationStore(location: url.connectionString)
            let queueVersion = try queue.schemaVersion()
            let syncVersion = try store.schemaVersion()
            let detail = "queue schema \(queueVersion.found) of \(queueVersion.latest), sync schema \(syncVersion.found) of \(syncVersion.latest)"
            let schema = queueVersion.found == queueVersion.latest && syncVersion.found == syncVersion.latest
                ? DoctorCheck("schema", .ok, detail) : DoctorCheck("schema", .failed, detail + ": upgrade mislink")
            let workers = try queue.workers()
            let registered = Set(workers.map(\.id))
            let running = try queue.jobPage(matching: JobFilter(states: [.running], limit: 1_000)).jobs
            let orphans = running.filter { job in job.leaseOwner.map { !registered.contains($0) } ?? true }.count
            let orphaned = orphans == 0
                ? DoctorCheck("running jobs", .ok, "every running job's worker is registered")
                : DoctorCheck(
                    "running jobs", .warning,
                    "\(orphans) running job(s) without a registered worker: they are rescued when their leases expire")
            return [
                DoctorCheck("server", .ok, "connected to \(url); integrity, WAL, disk and file permissions are the server's to check"),
                schema, orphaned, try heartbeats(workers, now: try queue.databaseNow()), try integrationsInError(store),
                try history(store, now: JobStore.now()),
            ]
        } catch {
            throw SyncError.wrap(error)
        }
    }

    /// The person history's size, and rows past their integration's retention (pruned by 'history prune').
    private func history(_ store: IntegrationStore, now: Int64) throws -> DoctorCheck {
        let counts = try IntegrationService.historyCounts(store, now: now)
        let rows = counts.reduce(0) { $0 + $1.rows }
        let old = counts.reduce(0) { $0 + $1.pastRetention }
        let detail = "\(rows) row(s) of person history, \(old) past retention"
        return old == 0
            ? DoctorCheck("history", .ok, detail)
            : DoctorCheck("history", .warning, detail + ": run 'mislink history prune'")
    }

    private func integrity(_ queue: JobStore) throws -> DoctorCheck {
        let problems = try queue.integrityCheck()
        return problems == ["ok"]
            ? DoctorCheck("integrity", .ok, "integrity_check: ok")
            : DoctorCheck("integrity", .failed, "integrity_check: " + problems.prefix(5).joined(separator: "; "))
    }

    private func schema(_ jobs: JobStore, _ store: IntegrationStore) throws -> DoctorCheck {
        let queue = try jobs.schemaVersion()
        let sync = try store.schemaVersion()
        let detail = "queue schema \(queue.found) of \(queue.latest), sync schema \(sync.found) of \(sync.latest)"
        return queue.found == queue.latest && sync.found == sync.latest
            ? DoctorCheck("schema", .ok, detail) : DoctorCheck("schema", .failed, detail + ": upgrade mislink")
    }

    private func wal(_ path: String) -> DoctorCheck {
        let bytes = Self.size(of: path + "-wal") ?? 0
        let detail = "write-ahead log \(ByteCount.text(Int(bytes)))"
        return bytes > walWarningBytes
            ? DoctorCheck("wal", .warning, detail + ": a long-open reader may be holding back checkpoints")
            : DoctorCheck("wal", .ok, detail)
    }

    private func disk(_ path: String) -> DoctorCheck {
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &info) == 0 else {
            return DoctorCheck("disk", .warning, "cannot read the free space of \(folder)")
        }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        let detail = "\(ByteCount.text(Int(free))) free where the database is"
        if free < diskFailureBytes { return DoctorCheck("disk", .failed, detail) }
        if free < diskWarningBytes { return DoctorCheck("disk", .warning, detail) }
        return DoctorCheck("disk", .ok, detail)
    }

    /// The per-state counts that /metrics, the queues and the jobs page read, against a count of the
    /// jobs (a scan: doctor is rare). Drift means a write changed jobs behind the store's back.
    private func jobCounts(_ queue: JobStore) throws -> DoctorCheck {
        let drift = try queue.jobCountDrift()
        if drift.isEmpty { return DoctorCheck("job counts", .ok, "job counts agree with the jobs table") }
        let examples = drift.prefix(3).map { "\($0.kind)/\($0.queue) \($0.state.rawValue): counted \($0.counted), found \($0.actual)" }
        return DoctorCheck(
            "job counts", .failed,
            "\(drift.count) job count(s) disagree with the jobs table (" + examples.joined(separator: "; ")
                + "); 'mislink doctor --repair-counts' rebuilds them")
    }

    /// Rebuilds the per-state job counts from the jobs, in one transaction (safe while workers run).
    /// Answers how many were wrong.
    public func repairJobCounts() throws(SyncError) -> Int {
        let queue = try SyncDatabase.openSQLiteQueue(environment, access: .write, for: "doctor --repair-counts")
        do { return try queue.recountStates() } catch { throw SyncError.wrap(error) }
    }

    private func orphanedJobs(_ queue: JobStore) throws -> DoctorCheck {
        let count = try queue.runningWithoutWorker()
        return count == 0
            ? DoctorCheck("running jobs", .ok, "every running job's worker is registered")
            : DoctorCheck(
                "running jobs", .warning,
                "\(count) running job(s) without a registered worker: the next worker to start rescues them")
    }

    private func heartbeats(_ queue: JobStore, now: Int64) throws -> DoctorCheck {
        try heartbeats(try queue.workers(), now: now)
    }

    private func heartbeats(_ workers: [WorkerRecord], now: Int64) throws -> DoctorCheck {
        let silent = workers.filter { now - $0.heartbeatAt > 3 * $0.leaseMilliseconds }
        if workers.isEmpty { return DoctorCheck("workers", .warning, "no worker is registered: nothing runs jobs") }
        return silent.isEmpty
            ? DoctorCheck("workers", .ok, "\(workers.count) worker(s), every one heartbeating")
            : DoctorCheck(
                "workers", .warning,
                "\(silent.count) of \(workers.count) worker(s) silent: " + silent.map(\.id).prefix(5).joined(separator: ", "))
    }

    private func integrationsInError(_ store: IntegrationStore) throws -> DoctorCheck {
        let failing = try store.integrations().filter { $0.status == .error }
        return failing.isEmpty
            ? DoctorCheck("integrations", .ok, "none in Error")
            : DoctorCheck("integrations", .warning, "in Error: " + failing.map(\.id).joined(separator: ", ")
                + " (see 'mislink integration show ID')")
    }

    /// The queue and its -wal/-shm, and the console's token file beside it, must be the owner's alone.
    private func permissions(_ path: String) -> DoctorCheck {
        let files = [path, path + "-wal", path + "-shm", path + ".token"]
        var loose: [String] = []
        for file in files {
            guard let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? NSNumber
            else { continue }
            if mode.intValue & 0o077 != 0 { loose.append("\(file) (\(String(mode.intValue, radix: 8)))") }
        }
        return loose.isEmpty
            ? DoctorCheck("permissions", .ok, "database and token files are the owner's alone")
            : DoctorCheck("permissions", .failed, "readable by others: " + loose.joined(separator: ", ") + "; chmod 600 them")
    }

    static func size(of path: String) -> Int64? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value
    }
}
