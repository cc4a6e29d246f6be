import Foundation
import MISLinkTestSupport
import Testing

/// Plugins in any language, end to end through the binary: the Python reference connector and the
/// Perl reference target through the wizard, go-live, a nightly import with a leaver, and a write-back.
@Suite struct ExecPluginCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Plugins/exec-examples").path
    static let key = "key-exec-3c2b1a09f8"

    static func school(_ pupils: [(String, String, String)]) -> String {
        let people = pupils.map { id, forename, status in
            #"{"misId": "\#(id)", "legalForename": "\#(forename)", "legalSurname": "Roe", "yearGroup": "3", "status": "\#(status)"}"#
        }
        return #"{"apiKey": "\#(key)", "pupils": [\#(people.joined(separator: ","))], "staff": [], "contacts": []}"#
    }

    struct PeopleFile: Decodable {
        struct Person: Decodable {
            var misId: String
            var legalForename: String
            var inRecycleBin: Bool
        }
        var people: [String: Person]
    }

    @Test("the Python connector and the Perl target: wizard, go-live, nightly import with a leaver, write-back; no secret anywhere")
    func wholeLife() async throws {
        try await withTemporaryDirectory { dir in
            let environment = ["MISLINK_PLUGINS": Self.examples, "SCHOOL_KEY": Self.key]
            var printed = ""
            func mislink(_ arguments: [String]) async throws -> MISLinkBinary.Result {
                let result = try await MISLinkBinary.run(arguments, in: dir, environment: environment)
                printed += result.stdout + result.stderr
                return result
            }
            func drain() async throws {
                let worker = try await mislink(["worker", "--drain", "--verbose"])
                #expect(worker.status == 0, "\(worker.stderr)")
            }
            func people() throws -> [String: PeopleFile.Person] {
                let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/people.json"))
                return Dictionary(uniqueKeysWithValues: try JSONDecoder().decode(PeopleFile.self, from: data).people.values.map { ($0.misId, $0) })
            }
            let schoolFile = dir + "/school.json"
            try Self.school((1...20).map { ("P\($0)", "Kid\($0)", "active") }).write(toFile: schoolFile, atomically: true, encoding: .utf8)

            let listed = try await mislink(["plugins", "--json"])
            #expect(listed.status == 0, "\(listed.stderr)")
            let plugins = try #require((try MISLinkBinary.json(listed.stdout) as? [String: Any])?["plugins"] as? [[String: Any]])
            #expect(plugins.first { $0["id"] as? String == "school-json" }?["source"] as? String == Self.examples + "/school-json/manifest.json")
            let added = try await mislink([
                "integration", "add", "oak", "--connector", "school-json", "--target", "people-file", "--config", "file=\(schoolFile)",
                "--config", "people-file=\(dir)/people.json", "--secret", "api-key=env:SCHOOL_KEY",
            ])
            #expect(added.status == 0, "\(added.stderr)")
            #expect(try await mislink(["integration", "set", "oak", "new-records=create"]).status == 0)
            #expect(try await mislink(["enqueue", "rerun-wizard", "--integration", "oak"]).status == 0)
            try await drain()
            #expect(try await mislink(["integration", "show", "oak"]).stdout.contains("Ready"))
            #expect(try await mislink(["enqueue", "initial-upload", "--integration", "oak"]).status == 0)
            try await drain()
            #expect(try await mislink(["integration", "show", "oak"]).stdout.contains("status:          On"))
            #expect(try people().count == 20)

            try Self.school((1...20).map { ("P\($0)", $0 == 1 ? "Kim" : "Kid\($0)", $0 == 2 ? "inactive" : "active") })
                .write(toFile: schoolFile, atomically: true, encoding: .utf8)
            #expect(try await mislink(["enqueue", "nightly-import", "--integration", "oak"]).status == 0)
            try await drain()
            let after = try people()
            #expect(after["P1"]?.legalForename == "Kim")
            #expect(after["P2"]?.inRecycleBin == true)
            #expect(after.values.filter(\.inRecycleBin).count == 1)

            let mark = #"{"eventId":"late-1","studentMisId":"P3","date":"2026-11-27","session":"AM","code":"L","minutesLate":12}"#
            #expect(try await mislink(["enqueue", "write-back", "--integration", "oak", "--payload", mark]).status == 0)
            try await drain()
            let ledger = try String(contentsOfFile: schoolFile + ".writeback.jsonl", encoding: .utf8)
            #expect(ledger.contains(#""eventId": "late-1""#))
            let failed = try await mislink(["jobs", "list", "--state", "failed"])
            #expect(failed.stdout.contains("no jobs"), "\(failed.stdout)")

            var stored = Data()
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasPrefix("mislink.sqlite") {
                stored.append(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            }
            #expect(!printed.contains(Self.key))
            #expect(stored.range(of: Data(Self.key.utf8)) == nil)
        }
    }

    @Test("a malformed manifest, or one for another major protocol version, is refused naming the file; the others still load")
    func refusedManifests() async throws {
        try await withTemporaryDirectory { dir in
            let plugins = dir + "/plugins"
            for name in ["broken", "future"] {
                try FileManager.default.createDirectory(atPath: plugins + "/" + name, withIntermediateDirectories: true)
            }
            try "{\"id\": ".write(toFile: plugins + "/broken/manifest.json", atomically: true, encoding: .utf8)
            try #"{"id": "future", "role": "target", "version": "1", "protocol": "2.0", "command": "x"}"#
                .write(toFile: plugins + "/future/manifest.json", atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(atPath: Self.examples + "/school-json", toPath: plugins + "/school-json")
            let result = try await MISLinkBinary.run(["plugins", "--plugins-dir", plugins], in: dir)
            #expect(result.status == 1)
            #expect(result.stdout.contains("school-json"))
            #expect(result.stderr.contains("plugin manifest \(plugins)/broken/manifest.json refused: is not JSON"))
            #expect(result.stderr.contains(
                "plugin manifest \(plugins)/future/manifest.json refused: built for plugin protocol 2.0, but this MISLink speaks 1.1 (major versions differ)"))
        }
    }

    @Test("a connector process that dies mid-read fails the import before the target is touched, and says why")
    func crashBeforeWriting() async throws {
        try await withTemporaryDirectory { dir in
            let plugins = dir + "/plugins"
            try FileManager.default.createDirectory(atPath: plugins, withIntermediateDirectories: true)
            let misbehaving = Self.examples + "/../../Tests/MISLinkExecTests/Fixtures/misbehaving"
            try FileManager.default.copyItem(atPath: misbehaving, toPath: plugins + "/misbehaving")
            try FileManager.default.copyItem(atPath: Self.examples + "/people-file", toPath: plugins + "/people-file")
            let environment = ["MISLINK_PLUGINS": plugins]
            let added = try await MISLinkBinary.run([
                "integration", "add", "oak", "--connector", "misbehaving", "--target", "people-file", "--config", "mode=crash",
                "--config", "count=50", "--config", "people-file=\(dir)/people.json",
            ], in: dir, environment: environment)
            #expect(added.status == 0, "\(added.stderr)")
            _ = try await MISLinkBinary.run(["enqueue", "rerun-wizard", "--integration", "oak"], in: dir, environment: environment)
            _ = try await MISLinkBinary.run(["worker", "--drain"], in: dir, environment: environment)
            let shown = try await MISLinkBinary.run(["jobs", "show", "1"], in: dir, environment: environment)
            #expect(shown.stdout.contains("state:        failed"), "\(shown.stdout)")
            #expect(shown.stdout.contains("plugin 'misbehaving': exited with status 3 after line 4, while MISLink waited for the answer to readPupils (call 2)"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/people.json"))
            let integration = try await MISLinkBinary.run(["integration", "show", "oak"], in: dir, environment: environment)
            #expect(integration.stdout.contains("Error"))
        }
    }
}
