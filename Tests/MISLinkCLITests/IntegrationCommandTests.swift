import Foundation
import MISLinkQueue
import MISLinkSync
import Testing
import MISLinkTestSupport

@Suite struct IntegrationCommandTests {
    private func add(_ dir: String, extra: [String] = []) async throws -> MISLinkBinary.Result {
        try FileManager.default.createDirectory(atPath: dir + "/mis", withIntermediateDirectories: true)
        return try await MISLinkBinary.run(
            ["integration", "add", "oak", "--connector", "csv", "--target", "directory", "--config", "dir=\(dir)/mis",
             "--config", "db=\(dir)/library.sqlite"] + extra, in: dir, environment: ["MIS_TOKEN": "tok-very-secret-123"])
    }

    private func setStatus(_ dir: String, _ status: IntegrationStatus) throws {
        try IntegrationStore(path: dir + "/mislink.sqlite").setStatus("oak", status, reason: "test", now: 0)
    }

    @Test("add makes a Pending integration; show, list and --json never reveal a secret")
    func addAndShow() async throws {
        try await withTemporaryDirectory { dir in
            let added = try await add(dir, extra: ["--secret", "mapping=env:MIS_TOKEN"])
            #expect(added.status == 0, "\(added.stderr)")
            for arguments in [["integration", "show", "oak"], ["integration", "show", "oak", "--json"], ["integration", "list", "--json"]] {
                let shown = try await MISLinkBinary.run(arguments, in: dir, environment: ["MIS_TOKEN": "tok-very-secret-123"])
                #expect(shown.status == 0)
                #expect(!shown.stdout.contains("tok-very-secret"))
                #expect(!shown.stdout.contains("MIS_TOKEN"))
            }
            #expect(try await MISLinkBinary.run(["integration", "show", "oak"], in: dir).stdout.contains("secret mapping: (set)"))
            #expect(try await MISLinkBinary.run(["integration", "show", "oak"], in: dir).stdout.contains("status:          Pending"))
        }
    }

    @Test("add refuses a secret given as a value, and a key no plugin takes", arguments: [
        (["--secret", "mapping=tok-very-secret-123"], "env:VARIABLE or file:PATH"),
        (["--config", "colour=blue"], "not one the plugins take"),
    ] as [([String], String)])
    func addRefuses(extra: [String], message: String) async throws {
        try await withTemporaryDirectory { dir in
            let result = try await add(dir, extra: extra)
            #expect(result.status == 2)
            #expect(result.stderr.contains(message))
            #expect(!result.stderr.contains("tok-very-secret"))
        }
    }

    /// Each column of the seed's table, as the commands an admin types.
    static let commands: [(column: String, arguments: [String])] = [
        ("on/off", ["integration", "on", "oak"]),
        ("on/off", ["integration", "off", "oak"]),
        ("absence", ["integration", "absence-sync", "oak", "off"]),
        ("contract", ["integration", "contract-sync", "oak", "off"]),
        ("staff", ["integration", "staff-sync", "oak", "on"]),
        ("wizard", ["enqueue", "rerun-wizard", "--integration", "oak"]),
        ("rematch", ["enqueue", "rematch", "--integration", "oak"]),
        ("remove", ["integration", "remove", "oak", "--yes"]),
    ]

    @Test("every admin command is allowed or refused exactly as the seed's state table says, naming the status",
          arguments: ["on", "off", "pending", "ready", "error"], commands.indices)
    func stateTable(status: String, index: Int) async throws {
        let (column, arguments) = Self.commands[index]
        try await withTemporaryDirectory { dir in
            #expect(try await add(dir).status == 0)
            let initial = try #require(IntegrationStatus(rawValue: status))
            try setStatus(dir, initial)
            let result = try await MISLinkBinary.run(arguments, in: dir)
            if SeedStateTable.allows(status, column) {
                #expect(result.status == 0, "\(arguments) in \(status): \(result.stderr)")
            } else {
                #expect(result.status == 2, "\(arguments) in \(status)")
                #expect(result.stderr.contains("is \(initial.title)"), "\(result.stderr)")
                #expect(try IntegrationStore(path: dir + "/mislink.sqlite").integration("oak")?.status == initial)
                #expect(try JobStore(path: dir + "/mislink.sqlite").stats().rows.isEmpty)
            }
        }
    }

    @Test("remove without --yes refuses and says what it would delete")
    func removeNeedsYes() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await add(dir).status == 0)
            let result = try await MISLinkBinary.run(["integration", "remove", "oak"], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("cannot be undone"))
            #expect(try await MISLinkBinary.run(["integration", "show", "oak"], in: dir).status == 0)
        }
    }

    @Test("a nightly import is refused at enqueue unless the integration is On; a write-back payload is checked")
    func enqueueRules() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await add(dir).status == 0)
            let refused = try await MISLinkBinary.run(["enqueue", "nightly-import", "--integration", "oak"], in: dir)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("Pending"))
            #expect(try await MISLinkBinary.run(["enqueue", "nightly-import"], in: dir).stderr.contains("needs --integration"))
            #expect(try await MISLinkBinary.run(["enqueue", "nightly-import", "--integration", "nope"], in: dir).status == 1)
            try setStatus(dir, .on)
            let bad = try await MISLinkBinary.run(
                ["enqueue", "write-back", "--integration", "oak", "--payload", #"{"eventId":"e","studentMisId":"M1","date":"2026-11-27","session":"AM","code":"ZZ"}"#], in: dir)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("not a current DfE attendance code"))
            #expect(try JobStore(path: dir + "/mislink.sqlite").stats().rows.isEmpty)
        }
    }

    @Test("set changes settings and refuses unknown ones")
    func settings() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await add(dir).status == 0)
            #expect(try await MISLinkBinary.run(["integration", "set", "oak", "lawful-basis=consent", "fields=email,phones"], in: dir).status == 0)
            let json = try #require(try MISLinkBinary.json(try await MISLinkBinary.run(["integration", "show", "oak", "--json"], in: dir).stdout) as? [String: Any])
            let settings = try #require(json["settings"] as? [String: Any])
            #expect(settings["lawful-basis"] as? String == "consent")
            #expect(settings["fields"] as? [String] == ["email", "phones"])
            #expect(settings["guards"] as? [String: String] == ["all.recycle": "10%"])
            // Guards per entity and change type, and how long a plan for review may be applied.
            #expect(try await MISLinkBinary.run(["integration", "set", "oak", "guard.staff.update=10%,20", "plan-expiry=2d"], in: dir).status == 0)
            let shown = try await MISLinkBinary.run(["integration", "show", "oak"], in: dir).stdout
            #expect(shown.contains("guards:          all.recycle 10%, staff.update 10%,20") && shown.contains("plan expiry:     2d"), "\(shown)")
            let bad = try await MISLinkBinary.run(["integration", "set", "oak", "nightly-at=25:00"], in: dir)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("nightly-at"))
        }
    }

    @Test("set config.KEY=VALUE changes a plugin's configuration without removing the integration; settings still work")
    func setConfig() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await add(dir).status == 0)
            try setStatus(dir, .on)
            try FileManager.default.createDirectory(atPath: dir + "/exports", withIntermediateDirectories: true)
            let result = try await MISLinkBinary.run(["integration", "set", "oak", "config.dir=\(dir)/exports", "names=legal"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            let integration = try #require(try IntegrationStore(path: dir + "/mislink.sqlite").integration("oak"))
            #expect(integration.config["dir"] == dir + "/exports")
            #expect(integration.settings.names == .legal)
            #expect(integration.status == .on)
            let unknown = try await MISLinkBinary.run(["integration", "set", "oak", "config.colour=blue"], in: dir)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("'colour' is not one the plugins take"))
            let secret = try await MISLinkBinary.run(["integration", "set", "oak", "secret.mapping=tok-very-secret-123"], in: dir)
            #expect(secret.status == 2)
            #expect(!secret.stderr.contains("tok-very-secret"))
        }
    }

    @Test("add and set refuse a plugin path that is the queue file or its -wal, however it is spelled, naming the key",
          arguments: ["mislink.sqlite", "./mislink.sqlite", "mis/../mislink.sqlite-wal", "queue-alias.sqlite"])
    func queueFileAsPluginPath(spelling: String) async throws {
        try await withTemporaryDirectory { dir in
            _ = try JobStore(path: dir + "/mislink.sqlite")
            try FileManager.default.createSymbolicLink(atPath: dir + "/queue-alias.sqlite", withDestinationPath: dir + "/mislink.sqlite")
            let added = try await add(dir, extra: ["--config", "db=\(spelling)"])
            #expect(added.status == 2)
            #expect(added.stderr.contains("configuration key 'db' names the queue database"), "\(added.stderr)")
            #expect(try IntegrationStore(path: dir + "/mislink.sqlite").integrations().isEmpty)
            #expect(try await add(dir).status == 0)
            let set = try await MISLinkBinary.run(["integration", "set", "oak", "config.db=\(spelling)"], in: dir)
            #expect(set.status == 2)
            #expect(set.stderr.contains("'db'"))
            #expect(try IntegrationStore(path: dir + "/mislink.sqlite").integration("oak")?.config["db"] == dir + "/library.sqlite")
        }
    }

    @Test("go-live then enqueue initial-upload while Ready gives one upload, not two")
    func goLiveThenEnqueue() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await add(dir).status == 0)
            try setStatus(dir, .ready)
            let live = try await MISLinkBinary.run(["integration", "go-live", "oak"], in: dir)
            #expect(live.status == 0, "\(live.stderr)")
            let again = try await MISLinkBinary.run(["enqueue", "initial-upload", "--integration", "oak"], in: dir)
            #expect(again.status == 0)
            #expect(again.stdout == live.stdout)
            #expect(again.stderr.contains("already available; nothing added"))
            let uploads = try JobStore(path: dir + "/mislink.sqlite").jobs(matching: JobFilter(kind: "initial-upload"))
            #expect(uploads.count == 1)
        }
    }

    @Test("the quickstart takes a generated school through an integration's whole life")
    func quickstart() async throws {
        try await withTemporaryDirectory { dir in
            let result = try await MISLinkBinary.run(["quickstart", "--pupils", "120", "--staff", "12"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("status: Ready"))
            #expect(result.stdout.contains("status: On"))
            #expect(result.stdout.contains("sent twice, written once: 1 row"))
            #expect(!result.stdout.contains("failed"))
        }
    }
}

@Suite struct QuickstartFolderTests {
    @Test("the quickstart refuses a non-empty folder that is not an earlier demo, and deletes nothing")
    func refusesForeignFolder() async throws {
        try await withTemporaryDirectory { dir in
            try "keep me".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
            let result = try await MISLinkBinary.run(["quickstart", "--dir", dir], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("not an earlier demo"))
            #expect(FileManager.default.fileExists(atPath: dir + "/notes.txt"))
        }
    }
}
