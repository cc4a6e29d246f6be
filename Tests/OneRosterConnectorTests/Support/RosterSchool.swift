import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import Testing

@testable import OneRosterConnector

/// A school whose MIS speaks OneRoster, in a temporary folder: a bundle (or the fixture serving it),
/// a library directory (the target), the queue, and an integration "oak" between them. Jobs run
/// through a real worker with the real handlers, as MISLinkSyncTests' SyncFixture does for csv.
final class RosterSchool: @unchecked Sendable {
    // Used by one test at a time; each worker it starts drains the queue before the test goes on.
    let root: URL
    let bundle: URL
    let libraryPath: String
    let databasePath: String
    let library: DirectoryStore
    let environment: SyncEnvironment

    init(environment extra: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-oneroster-\(UUID().uuidString)")
        bundle = root.appendingPathComponent("bundle")
        try FileManager.default.createDirectory(at: bundle, withIntermediateDirectories: true)
        libraryPath = root.appendingPathComponent("library.sqlite").path
        databasePath = root.appendingPathComponent("queue.sqlite").path
        library = DirectoryStore(path: libraryPath)
        let plugins = PluginRegistry()
        try plugins.register(connector: OneRosterConnectorPlugin())
        try plugins.register(target: DirectoryTargetPlugin())
        let today = CalendarDate(year: 2026, month: 11, day: 27)!
        environment = SyncEnvironment(
            databasePath: databasePath, plugins: plugins, policies: PolicySet(catalog: JobKinds.catalog), environment: extra,
            today: { _ in today })
        _ = try JobStore(path: databasePath)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var writer: BundleWriter { BundleWriter(bundle.path) }
    var store: IntegrationStore { get throws { try IntegrationStore(path: databasePath) } }
    var jobs: JobStore { get throws { try JobStore(path: databasePath) } }

    /// Adds integration "oak" (oneroster → directory), Ready, creating unmatched records.
    func addIntegration(config: [String: String], secrets: [String: SecretReference] = [:]) throws {
        var integration = Integration(id: "oak", connector: "oneroster", target: "directory", now: JobStore.now())
        integration.config = config.merging(["db": libraryPath]) { $1 }
        integration.secrets = secrets
        integration.status = .ready
        integration.settings.newRecords = .create
        // One leaver of Oak's four is 25%: a small school, not a broken feed.
        integration.settings.massLeaverThreshold = 0.5
        try store.add(integration)
    }

    /// Enqueues one job and drains the queue with a real worker (leaver jobs it enqueues included).
    @discardableResult
    func run(_ kind: String) async throws -> Job {
        let policy = environment.policies.policy(for: kind)!
        let id = try jobs.enqueue(
            NewJob(kind: kind, queue: policy.queue, integration: "oak", payload: "{}", priority: policy.priority, maxAttempts: 1)).id
        var configuration = WorkerConfiguration(databasePath: databasePath)
        configuration.drain = true
        _ = try await Worker(
            configuration: configuration, handlers: SyncHandlers.registry(environment: environment), policies: environment.policies
        ).run()
        return try #require(try jobs.job(id: id))
    }

    func report(of job: Job) throws -> ImportReport {
        try JSONDecoder().decode(ImportReport.self, from: Data((job.result ?? "{}").utf8))
    }

    func person(_ misID: String) async throws -> TargetPerson? {
        try await library.listPeople().first { $0.misID == misID }
    }
}
