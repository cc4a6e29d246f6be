import CSVConnector
import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkRunner
import MISLinkSync
import SQLiteDB

/// One sync benchmark's queue, integration and worker, in a folder that the parent process made:
/// each phase (the upload, the nightly import) runs in a child process of its own on it, so that
/// each peak memory figure is that phase's alone.
struct SyncBenchRun {
    static let integration = "trust"

    let root: URL
    let environment: SyncEnvironment
    /// The queue: the folder's SQLite file, or the PostgreSQL database `MISLINK_BENCH_DB` names.
    let jobs: any QueueBackend

    var mis: URL { root.appendingPathComponent("mis") }

    init(root: URL) throws {
        self.root = root
        let database = ProcessInfo.processInfo.environment["MISLINK_BENCH_DB"] ?? root.appendingPathComponent("queue.sqlite").path
        let plugins = PluginRegistry()
        try plugins.register(connector: CSVConnectorPlugin())
        try plugins.register(target: DirectoryTargetPlugin())
        environment = SyncEnvironment(
            databasePath: database, plugins: plugins, environment: [:],
            today: { _ in CalendarDate(year: 2026, month: 11, day: 17)! })
        jobs = try QueueDatabase(database).open()
    }

    /// Adds the integration (csv → directory, every field shared, new records created), switched on.
    func addIntegration() throws {
        let store = try IntegrationStore(location: environment.databasePath)
        var integration = Integration(id: Self.integration, connector: "csv", target: "directory", now: JobStore.now())
        integration.config = ["dir": mis.path, "db": root.appendingPathComponent("library.sqlite").path]
        integration.status = .on
        integration.settings.newRecords = .create
        try store.connection.transaction { try store.add(integration) }
    }

    /// Points the integration at this folder's export and target: a copy of an uploaded folder
    /// still names the original's (`SyncBenchmarks.runPlanApply`).
    func pointAtFolder() throws {
        let store = try IntegrationStore(location: environment.databasePath)
        var integration = try store.require(Self.integration)
        integration.config = ["dir": mis.path, "db": root.appendingPathComponent("library.sqlite").path]
        try store.save(integration)
    }

    func enqueue(_ kind: String, payload: String = "{}") throws -> Int64 {
        let policy = environment.policies.policy(for: kind)!
        return try jobs.enqueue(
            job: NewJob(
                kind: kind, queue: policy.queue, integration: Self.integration, payload: payload, priority: policy.priority,
                maxAttempts: 1)
        ).id
    }

    func worker(drain: Bool) -> Worker {
        var configuration = WorkerConfiguration(database: try! QueueDatabase(environment.databasePath))
        configuration.drain = drain
        configuration.concurrency = 4
        return Worker(
            configuration: configuration, handlers: SyncHandlers.registry(environment: environment),
            policies: environment.policies)
    }

    /// How long job `id` ran, in seconds; it must have succeeded.
    func seconds(_ id: Int64) throws -> Double {
        let job = try jobs.job(id: id)!
        precondition(job.state == .succeeded, "job \(id) \(job.kind) \(job.state): \(job.lastError ?? "")")
        return Double(job.finishedAt! - job.startedAt!) / 1000
    }

    func report(_ id: Int64) throws -> ImportReport {
        try JSONDecoder().decode(ImportReport.self, from: Data((try jobs.job(id: id)!.result ?? "{}").utf8))
    }

    /// Peak resident memory of this process, in MiB: VmHWM, which starts afresh at exec (getrusage's
    /// maxrss would carry the parent's peak over into the child).
    static func peakMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kib / 1024
    }
}
