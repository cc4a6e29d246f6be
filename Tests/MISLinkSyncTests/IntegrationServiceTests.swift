import CSVConnector
import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import MISLinkTestSupport
import Testing

/// A target whose own check refuses a `db` ending in `.txt`: stands for any plugin's `validate(config:)`.
struct PickyTargetPlugin: TargetPlugin {
    var manifest: PluginManifest {
        PluginManifest(id: "picky", role: .target, version: "1.0", summary: "a target with its own config check",
                       configKeys: [ConfigKey("db", summary: "its file"), ConfigKey("token", summary: "a secret", secret: true, required: false)])
    }
    func makeTarget(config: PluginConfig) throws -> any Target { fatalError("not made in these tests") }
    func validate(config: PluginConfig) throws {
        if config["db"]?.hasSuffix(".txt") == true { throw PluginError.permanent("'db' must be a SQLite file, not a .txt") }
    }
}

/// A target written for kit 1.0: no `validate(config:)`, so the default accepts everything.
struct OldTargetPlugin: TargetPlugin {
    var manifest: PluginManifest {
        PluginManifest(id: "old", role: .target, version: "1.0", kitVersion: KitVersion(major: 1, minor: 0),
                       summary: "a kit 1.0 target", configKeys: [ConfigKey("db", summary: "its file")])
    }
    func makeTarget(config: PluginConfig) throws -> any Target { fatalError("not made in these tests") }
}

@Suite struct IntegrationServiceTests {
    private func services(_ school: SyncFixture) throws -> (IntegrationService, JobAdmin) {
        let plugins = PluginRegistry()
        try plugins.register(connector: CSVConnectorPlugin())
        try plugins.register(target: DirectoryTargetPlugin())
        try plugins.register(target: PickyTargetPlugin())
        try plugins.register(target: OldTargetPlugin())
        let environment = SyncEnvironment(databasePath: school.databasePath, plugins: plugins)
        return (IntegrationService(environment: environment), JobAdmin(environment: environment))
    }

    private func draft(_ school: SyncFixture, target: String = "directory", db: String? = nil) -> IntegrationDraft {
        IntegrationDraft(id: "oak", connector: "csv", target: target, config: ["dir": school.mis.path, "db": db ?? school.libraryPath])
    }

    @Test("each action is allowed or refused exactly as the seed's table says, and a refusal names the status",
          arguments: IntegrationStatus.allCases, SeedStateTable.columns)
    func stateTable(status: IntegrationStatus, column: String) throws {
        let school = try SyncFixture()
        let (service, admin) = try services(school)
        _ = try service.add(draft(school))
        try school.store.setStatus("oak", status, reason: "test", now: 0)
        let attempt: () throws -> Void = {
            switch column {
            case "on/off": _ = try service.turn("oak", on: status != .on)
            case "absence": _ = try service.setSync("oak", .absenceSync, on: false)
            case "contract": _ = try service.setSync("oak", .contractSync, on: false)
            case "staff": _ = try service.setSync("oak", .staffSync, on: false)
            case "wizard": _ = try admin.enqueue(JobRequest(kind: "rerun-wizard", integration: "oak"))
            case "rematch": _ = try admin.enqueue(JobRequest(kind: "rematch", integration: "oak"))
            default: _ = try service.remove("oak", confirmed: true)
            }
        }
        if SeedStateTable.allows(status.rawValue, column) {
            try attempt()
        } else {
            let error = try #require(throws: SyncError.self) { try attempt() }
            #expect(error.code == .refused)
            #expect(error.message.contains("is \(status.title)"), "\(error.message)")
            #expect(try school.integration().status == status)
            #expect(try school.jobs.stats().rows.isEmpty)
        }
    }

    @Test("set config.KEY changes a plugin's configuration and keeps the integration, its status and its links")
    func setConfigKeepsIntegration() throws {
        let school = try SyncFixture()
        let (service, _) = try services(school)
        _ = try service.add(draft(school))
        try school.store.setStatus("oak", .on, now: 0)
        try school.store.link(Link(integration: "oak", role: .pupil, misID: "M1", targetID: "P1", origin: .manual, rule: "manual", createdAt: 0))
        let moved = school.root.appendingPathComponent("exports").path
        let changed = try service.set("oak", [.config("dir", moved), .setting("names", "legal")])
        #expect(changed.config["dir"] == moved)
        #expect(changed.settings.names == .legal)
        #expect(try school.integration().config["dir"] == moved)
        #expect(try school.integration().status == .on)
        #expect(try school.store.links(integration: "oak").count == 1)
    }

    @Test("add and set check the configuration against the manifests", arguments: [
        ([IntegrationEdit.config("colour", "blue")], "configuration key 'colour' is not one the plugins take"),
        ([.secret("colour", "env:X")], "secret key 'colour' is not one the plugins take"),
        ([.secret("dir", "the-value-itself")], "env:VARIABLE or file:PATH"),
        ([.config("dir", "")], "'dir' is required"),
    ])
    func setChecksManifest(edits: [IntegrationEdit], message: String) throws {
        let school = try SyncFixture()
        let (service, _) = try services(school)
        _ = try service.add(draft(school))
        let error = try #require(throws: SyncError.self) { try service.set("oak", edits) }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(try school.integration().config["dir"] == school.mis.path)
    }

    @Test("the plugin's own validate(config:) hook is asked at add and at set; a kit 1.0 plugin accepts all")
    func kitHook() throws {
        let school = try SyncFixture()
        let (service, _) = try services(school)
        let refused = try #require(throws: SyncError.self) { try service.add(draft(school, target: "picky", db: "/tmp/people.txt")) }
        #expect(refused.message.contains("plugin 'picky' refused the configuration: 'db' must be a SQLite file"))
        #expect(try school.store.integrations().isEmpty)
        _ = try service.add(draft(school, target: "picky"))
        let atSet = try #require(throws: SyncError.self) { try service.set("oak", [.config("db", "/tmp/people.txt")]) }
        #expect(atSet.code == .invalidInput)
        #expect(try school.integration().config["db"] == school.libraryPath)
        // A secret declared by the manifest is taken as a reference, and set keeps the rest.
        #expect(try service.set("oak", [.secret("token", "env:PICKY_TOKEN")]).secrets["token"] == .environment("PICKY_TOKEN"))
        var old = draft(school, target: "old", db: "/tmp/people.txt")
        old.id = "elm"
        #expect(try service.add(old).target == "old")
    }

    @Test("a plugin path naming the queue file, its -wal or -shm, however spelled, is refused at add and set")
    func queueFileRefused() throws {
        let school = try SyncFixture()
        let (service, _) = try services(school)
        let queue = school.databasePath
        let folder = school.root.path
        let link = folder + "/alias.sqlite"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: queue)
        let hard = folder + "/hard.sqlite"
        try FileManager.default.linkItem(atPath: queue, toPath: hard)
        let folderLink = folder + "/mis/up"
        try FileManager.default.createSymbolicLink(atPath: folderLink, withDestinationPath: folder)
        let spellings = [
            queue, queue + "-wal", queue + "-shm", folder + "/mis/../queue.sqlite", link, hard, folderLink + "/queue.sqlite-wal",
        ]
        for spelling in spellings {
            let error = try #require(throws: SyncError.self) { try service.add(draft(school, db: spelling)) }
            #expect(error.code == .invalidInput)
            #expect(error.message.contains("configuration key 'db' names the queue database"), "\(spelling): \(error.message)")
        }
        _ = try service.add(draft(school))
        let atSet = try #require(throws: SyncError.self) { try service.set("oak", [.config("db", link)]) }
        #expect(atSet.message.contains("'db'"))
        let asSecret = try #require(throws: SyncError.self) { try service.set("oak", [.secret("dir", "file:" + queue)]) }
        #expect(asSecret.message.contains("secret 'dir' names the queue database"))
        #expect(try school.integration().config["db"] == school.libraryPath)
    }

    @Test("go-live enqueues one initial upload; go-live again or enqueue initial-upload while it is pending adds none")
    func oneInitialUpload() throws {
        let school = try SyncFixture()
        let (service, admin) = try services(school)
        _ = try service.add(draft(school))
        try school.store.setStatus("oak", .ready, now: 0)
        let first = try service.goLive("oak")
        #expect(first.inserted)
        let again = try admin.enqueue(JobRequest(kind: "initial-upload", integration: "oak"))
        #expect(again.id == first.id && !again.inserted)
        let batch = try admin.enqueue(batch: [JobRequest(kind: "initial-upload", integration: "oak"), JobRequest(kind: "initial-upload", integration: "oak")])
        #expect(batch.allSatisfy { $0.id == first.id && !$0.inserted })
        #expect(try service.goLive("oak").id == first.id)
        let keyed = try #require(throws: SyncError.self) {
            var request = JobRequest(kind: "initial-upload", integration: "oak")
            request.uniqueKey = "another"
            _ = try admin.enqueue(request)
        }
        #expect(keyed.message.contains("always has the unique key 'initial-upload:oak'"))
        #expect(try school.jobs.jobs(matching: JobFilter(kind: "initial-upload")).count == 1)
    }
}

extension JobRequest {
    init(kind: String, integration: String) {
        self.init(kind: kind)
        self.integration = integration
    }
}
