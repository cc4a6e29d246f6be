import DirectoryTarget
import Foundation
import MISLinkDemo
import MISLinkExec
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB

/// The process protocol's overhead: the reference Python connector (`school-json`) against the same
/// connector built in (the same file, decoded in Swift), each in a child process of its own so that
/// peak memory is its own. It reports the read alone (records per second across the pipe) and a whole
/// initial upload into the directory target, with the peak memory of MISLink and of the plugin.
enum ExecBenchmarks {
    static func run(quick: Bool) throws {
        say("\n== plugins in any language: school-json (Python, over the pipe) against the same connector built in")
        say("each line a child process; 'read' is readPupils + readStaff alone, 'upload' a whole initial upload into the directory target")
        for people in quick ? [2_200] : [2_200, 100_000] {
            for mode in ["built-in", "process"] {
                say(try SyncBenchmarks.runChild(["--exec-child", String(people), mode]))
            }
        }
    }

    /// The school file the Python connector reads, in the protocol's flat shape.
    struct SchoolFile: Codable {
        var pupils: [WirePerson]
        var staff: [WirePerson]
        var contacts: [WireContact]
    }

    /// `school-json` built in: the same file, the same records, no process.
    struct BuiltInSchool: ConnectorPlugin, Connector {
        var manifest: PluginManifest {
            PluginManifest(id: "school-json", role: .connector, version: "bench", summary: "built-in twin", configKeys: [ConfigKey("file", summary: "")])
        }
        let path: String
        func makeConnector(config: PluginConfig) throws -> any Connector { self }
        func load() throws -> SchoolFile { try JSONDecoder().decode(SchoolFile.self, from: Data(contentsOf: URL(fileURLWithPath: path))) }
        func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] { try load().pupils.map(\.pupil) }
        func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] { try load().staff.map(\.staff) }
        func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact] { try load().contacts.map(\.contact) }
    }

    static func child(people: Int, mode: String) async throws {
        let staffCount = max(1, people / 11)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-execbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let school = DemoSchool.generate(seed: 7, pupils: people - staffCount, staff: staffCount)
        let file = root.appendingPathComponent("school.json").path
        try JSONEncoder().encode(
            SchoolFile(
                pupils: school.pupils.map { WirePerson(.pupil($0)) }, staff: school.staff.map { WirePerson(.staff($0)) },
                contacts: school.contacts.map(WireContact.init))
        ).write(to: URL(fileURLWithPath: file))

        let plugins = PluginRegistry()
        if mode == "process" {
            let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Plugins/exec-examples/school-json/manifest.json")
            try plugins.register(connector: ExecConnectorPlugin(try ExecManifest(contentsOf: manifest)))
        } else {
            try plugins.register(connector: BuiltInSchool(path: file))
        }
        try plugins.register(target: DirectoryTargetPlugin())

        // The read alone: what crosses the pipe.
        let connector = try plugins.connector("school-json")!.makeConnector(config: PluginConfig(values: ["file": file]))
        let readStart = DispatchTime.now().uptimeNanoseconds
        let pupils = try await connector.readPupils(changedSince: nil, context: .silent)
        let staff = try await connector.readStaff(changedSince: nil, context: .silent)
        let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - readStart) / 1e9
        precondition(pupils.count + staff.count == people, "read \(pupils.count + staff.count) of \(people)")

        // A whole initial upload through the worker.
        let database = root.appendingPathComponent("queue.sqlite").path
        let environment = SyncEnvironment(
            databasePath: database, plugins: plugins, environment: [:], today: { _ in CalendarDate(year: 2026, month: 11, day: 17)! })
        let jobs = try JobStore(path: database)
        let store = try IntegrationStore(connection: jobs.connection)
        var integration = Integration(id: "bench", connector: "school-json", target: "directory", now: JobStore.now())
        integration.config = ["file": file, "db": root.appendingPathComponent("library.sqlite").path]
        integration.status = .ready
        integration.settings.newRecords = .create
        try store.connection.transaction { try store.add(integration) }
        let policy = environment.policies.policy(for: JobKinds.initialUpload)!
        let id = try jobs.enqueue(
            NewJob(kind: JobKinds.initialUpload, queue: policy.queue, integration: "bench", payload: "{}", priority: policy.priority, maxAttempts: 1)).id
        var configuration = WorkerConfiguration(databasePath: database)
        configuration.drain = true
        _ = try await Worker(configuration: configuration, handlers: SyncHandlers.registry(environment: environment), policies: environment.policies).run()
        let job = try jobs.job(id: id)!
        precondition(job.state == .succeeded, "upload \(job.state): \(job.lastError ?? "")")
        let uploadSeconds = Double(job.finishedAt! - job.startedAt!) / 1000
        _ = connector  // the read's process ends with it

        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let pluginPeak = mode == "process" ? String(format: "%.0f MiB", Double(usage.ru_maxrss) / 1024) : "-"
        say(String(
            format: "%7d people, %-8@: read %.2f s (%.0f records/s), upload %.2f s; peak memory MISLink %.0f MiB, plugin %@",
            people, mode as NSString, readSeconds, Double(people) / readSeconds, uploadSeconds, SyncBenchRun.peakMiB(), pluginPeak as NSString))
    }
}
