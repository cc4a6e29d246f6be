import CSVConnector
import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkRunner
import MISLinkSync
import SQLiteDB
import Testing

/// A school in a temporary folder: an MIS export (CSV), a library directory (the target), the queue,
/// and an integration "oak" between them. Jobs run through a real worker with the real handlers.
final class SyncFixture: @unchecked Sendable {
    // Used from one test at a time; the worker it starts runs to completion before the test goes on.
    let root: URL
    let mis: URL
    let libraryPath: String
    let databasePath: String
    let library: DirectoryStore
    let environment: SyncEnvironment
    let today: CalendarDate

    init(
        today: CalendarDate = CalendarDate(year: 2026, month: 11, day: 27)!, environment extra: [String: String] = [:],
        recording: ChangedSinceLog? = nil, connector: (any ConnectorPlugin)? = nil, writeBudget: WriteBudget? = nil,
        target: (any TargetPlugin)? = nil, postgres: String? = nil
    ) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-sync-\(UUID().uuidString)")
        mis = root.appendingPathComponent("mis")
        try FileManager.default.createDirectory(at: mis, withIntermediateDirectories: true)
        libraryPath = root.appendingPathComponent("library.sqlite").path
        // On PostgreSQL the queue and the sync tables are in the server's database; the rest stays in the folder.
        databasePath = postgres ?? root.appendingPathComponent("queue.sqlite").path
        library = DirectoryStore(path: libraryPath)
        self.today = today
        let plugins = PluginRegistry()
        if let connector {
            try plugins.register(connector: connector)
        } else if let recording {
            try plugins.register(connector: RecordingCSVPlugin(log: recording))
        } else {
            try plugins.register(connector: CSVConnectorPlugin())
        }
        if let target {
            try plugins.register(target: target)
        } else if let writeBudget {
            try plugins.register(target: CrashingDirectoryPlugin(budget: writeBudget))
        } else {
            try plugins.register(target: DirectoryTargetPlugin())
        }
        let fixed = today
        environment = SyncEnvironment(
            databasePath: databasePath, plugins: plugins, policies: PolicySet(catalog: JobKinds.catalog), environment: extra, today: { _ in fixed })
        _ = try QueueDatabase(databasePath).open()
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var store: IntegrationStore { get throws { try IntegrationStore(location: databasePath) } }
    /// The SQLite queue (admin calls the tests make); `queue` is the back end either way.
    var jobs: JobStore { get throws { try JobStore(path: databasePath) } }
    var queue: any QueueBackend { get throws { try QueueDatabase(databasePath).open() } }

    /// Adds integration "oak" (csv → directory) with the given status and settings. `wentLive`: its
    /// initial upload has succeeded before (by default when it is On or Off).
    @discardableResult
    func addIntegration(
        _ id: String = "oak", status: IntegrationStatus = .on, wentLive: Bool? = nil,
        secrets: [String: SecretReference] = [:], configure: (inout Integration) throws -> Void = { _ in }
    ) throws -> Integration {
        var integration = Integration(id: id, connector: "csv", target: "directory", now: JobStore.now())
        integration.config = ["dir": mis.path, "db": libraryPath]
        integration.secrets = secrets
        for key in secrets.keys { integration.config[key] = nil }
        integration.status = status
        try configure(&integration)
        let store = try self.store
        try store.connection.transaction {
            try store.add(integration)
            if wentLive ?? [.on, .off].contains(status) { try store.markWentLive(integration.id, now: JobStore.now()) }
        }
        return integration
    }

    func integration(_ id: String = "oak") throws -> Integration { try store.require(id) }

    /// Writes students.csv (and the others, when given) in the export folder. Every entity file is
    /// written, header-only when empty: the csv connector fails an import whose file is missing.
    func writeExport(
        students: [String] = [], staff: [String] = [], contacts: [String] = [], preAdmissions: [String] = []
    ) throws {
        try (["mis_id,student_mis_id,relationship,forename,surname,email,mobile,priority,parental_responsibility"] + contacts)
            .joined(separator: "\n").write(to: mis.appendingPathComponent("contacts.csv"), atomically: true, encoding: .utf8)
        try (["mis_id,upn,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,year_group,reg_group,email,mobile,address,postcode,start_date,end_date,status,consent"] + students)
            .joined(separator: "\n").write(to: mis.appendingPathComponent("students.csv"), atomically: true, encoding: .utf8)
        try (["mis_id,ni_number,title,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,post,email,mobile,address,postcode,start_date,end_date,status,consent"] + staff)
            .joined(separator: "\n").write(to: mis.appendingPathComponent("staff.csv"), atomically: true, encoding: .utf8)
        try (["mis_id,upn,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,year_group,reg_group,email,mobile,address,postcode,start_date,end_date,status,consent,expected_start_date"] + preAdmissions)
            .joined(separator: "\n").write(to: mis.appendingPathComponent("preadmissions.csv"), atomically: true, encoding: .utf8)
    }

    /// Enqueues one job and drains the queue with a real worker; answers the job as it ended. `day`:
    /// the school's today for this run (default the fixture's).
    @discardableResult
    func run(_ kind: String, integration: String = "oak", payload: String = "{}", on day: CalendarDate? = nil) async throws -> Job {
        let policy = environment.policies.policy(for: kind)!
        let queue = try self.queue
        let id = try queue.enqueue(
            job: NewJob(kind: kind, queue: policy.queue, integration: integration, payload: payload, priority: policy.priority,
                   maxAttempts: 1)).id
        try await drain(on: day)
        return try #require(try queue.job(id: id))
    }

    func drain(on day: CalendarDate? = nil) async throws {
        var configuration = WorkerConfiguration(database: try QueueDatabase(databasePath))
        configuration.drain = true
        var environment = environment
        if let day { environment.today = { _ in day } }
        _ = try await Worker(
            configuration: configuration, handlers: SyncHandlers.registry(environment: environment),
            policies: environment.policies
        ).run()
    }

    func report(of job: Job) throws -> ImportReport {
        try JSONDecoder().decode(ImportReport.self, from: Data((job.result ?? "{}").utf8))
    }

    func people() async throws -> [TargetPerson] { try await library.listPeople() }

    func person(misID: String) async throws -> TargetPerson? {
        try await people().first { $0.misID == misID }
    }
}

/// Swift Testing's `#require` for use in fixture code.
func require<T>(_ value: T?, _ what: String) throws -> T {
    try #require(value, "\(what)")
}
