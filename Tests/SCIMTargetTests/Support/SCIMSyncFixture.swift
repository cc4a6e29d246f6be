import CSVConnector
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import MISLinkTestSupport
import SCIMTarget
import SQLiteDB
import Testing

/// A school whose MIS is a small generated CSV export and whose target is a real scim2-server: the
/// queue, and an integration "oak" between them, with jobs run by a real worker and the real handlers.
final class SCIMSyncFixture: @unchecked Sendable {
    // Used from one test at a time; each worker it starts drains to completion before the test goes on.
    static let tokenVariable = "MISLINK_TEST_SCIM_TOKEN"

    let root: URL
    let mis: URL
    let databasePath: String
    let environment: SyncEnvironment
    let server: SCIMServer
    let today = CalendarDate(year: 2026, month: 11, day: 27)!

    /// `token`: what the integration's secret resolves to (the server's own, unless a test says otherwise).
    init(server: SCIMServer, token: String? = nil) throws {
        self.server = server
        root = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-scim-sync-\(UUID().uuidString)")
        mis = root.appendingPathComponent("mis")
        try FileManager.default.createDirectory(at: mis, withIntermediateDirectories: true)
        databasePath = root.appendingPathComponent("queue.sqlite").path
        let plugins = PluginRegistry()
        try plugins.register(connector: CSVConnectorPlugin())
        try plugins.register(target: SCIMTargetPlugin())
        let fixed = today
        environment = SyncEnvironment(
            databasePath: databasePath, plugins: plugins, environment: [Self.tokenVariable: token ?? server.token],
            today: { _ in fixed })
        _ = try JobStore(path: databasePath)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var store: IntegrationStore { get throws { try IntegrationStore(path: databasePath) } }
    var jobs: JobStore { get throws { try JobStore(path: databasePath) } }

    /// Adds integration "oak" (csv → scim), Ready for go-live, creating new records in the target.
    /// `massLeaverThreshold`: a school of three whose one pupil leaves is a third of it.
    func addIntegration(groups: Bool = true, status: IntegrationStatus = .ready, massLeaverThreshold: Double = 0.5) throws {
        var integration = Integration(id: "oak", connector: "csv", target: "scim", now: JobStore.now())
        integration.config = [
            "dir": mis.path, SCIMTargetPlugin.Key.url: server.url.absoluteString,
            SCIMTargetPlugin.Key.userName: "{preferred_forename}.{surname}{n}@oak.example", SCIMTargetPlugin.Key.groups: groups ? "on" : "off",
        ]
        integration.secrets = [SCIMTargetPlugin.Key.token: .environment(Self.tokenVariable)]
        integration.status = status
        integration.settings.newRecords = .create
        integration.settings.massLeaverThreshold = massLeaverThreshold
        let store = try self.store
        try store.connection.transaction { try store.add(integration) }
    }

    func integration() throws -> Integration { try store.require("oak") }

    /// Writes the export; every file is written (header-only when empty), as the csv connector wants.
    func writeExport(students: [String] = [], staff: [String] = []) throws {
        let files: [(String, String, [String])] = [
            ("contacts.csv", "mis_id,student_mis_id,relationship,forename,surname,email,mobile,priority,parental_responsibility", []),
            ("students.csv", Self.studentHeader, students),
            ("staff.csv", "mis_id,ni_number,title,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,post,email,mobile,address,postcode,start_date,end_date,status,consent", staff),
            ("preadmissions.csv", Self.studentHeader + ",expected_start_date", []),
        ]
        for (name, header, rows) in files {
            try ([header] + rows).joined(separator: "\n").write(to: mis.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    static let studentHeader =
        "mis_id,upn,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,year_group,reg_group,email,mobile,address,postcode,start_date,end_date,status,consent"

    /// Enqueues one job and drains the queue (follow-up jobs too) with a real worker.
    @discardableResult
    func run(_ kind: String) async throws -> Job {
        let policy = try #require(environment.policies.policy(for: kind))
        let id = try jobs.enqueue(
            NewJob(kind: kind, queue: policy.queue, integration: "oak", payload: "{}", priority: policy.priority, maxAttempts: 1)).id
        var configuration = WorkerConfiguration(databasePath: databasePath)
        configuration.drain = true
        _ = try await Worker(configuration: configuration, handlers: SyncHandlers.registry(environment: environment), policies: environment.policies)
            .run()
        return try #require(try jobs.job(id: id))
    }

    func report(of job: Job) throws -> ImportReport {
        try JSONDecoder().decode(ImportReport.self, from: Data((job.result ?? "{}").utf8))
    }
}

/// A students.csv row: a pupil of year 5 in 5A unless said otherwise.
func studentRow(
    _ misID: String, _ forename: String, _ surname: String, preferred: String = "", year: String = "5", reg: String = "5A",
    email: String = "", end: String = "", status: String = "active"
) -> String {
    [misID, "A12345678901\(misID.suffix(1))", forename, surname, preferred, "", "2016-03-14", "F", year, reg, email, "", "", "", "2021-09-01", end,
     status, ""].joined(separator: ",")
}

func staffRow(_ misID: String, _ forename: String, _ surname: String, post: String = "Teacher") -> String {
    [misID, "AB123456C", "Ms", forename, surname, "", "", "1985-01-02", "F", post, "\(forename.lowercased())@oak.example", "", "", "", "2020-09-01", "",
     "active", ""].joined(separator: ",")
}
