import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import SQLiteDB
import Testing

@Suite struct IntakeCommandTests {
    /// An On integration whose initial upload sent three pupils (the target is empty) to intake.
    private func school(_ dir: String) async throws -> [Int64] {
        let mis = dir + "/mis"
        try CSVExport.write(to: mis)
        let added = try await MISLinkBinary.run(
            ["integration", "add", "oak", "--connector", "csv", "--target", "directory", "--config", "dir=\(mis)",
             "--config", "db=\(dir)/library.sqlite"], in: dir)
        #expect(added.status == 0, "\(added.stderr)")
        try IntegrationStore(path: dir + "/mislink.sqlite").setStatus("oak", .ready, now: 0)
        #expect(try await MISLinkBinary.run(["enqueue", "initial-upload", "--integration", "oak"], in: dir).status == 0)
        let worker = try await MISLinkBinary.run(["worker", "--drain"], in: dir)
        #expect(worker.status == 0, "\(worker.stderr)")
        let entries = try IntegrationStore(path: dir + "/mislink.sqlite").intake(integration: "oak")
        #expect(entries.map(\.misID) == ["M1", "M2", "M3"])
        return entries.map(\.id)
    }

    @Test("bulk transfer, exclude and match: --all needs --yes, a refusal exits 1 and says which, the rest is done")
    func bulkDecisions() async throws {
        try await withTemporaryDirectory { dir in
            let ids = try await school(dir)
            let unconfirmed = try await MISLinkBinary.run(["intake", "transfer", "--all"], in: dir)
            #expect(unconfirmed.status == 2)
            #expect(unconfirmed.stderr.contains("would touch 3 open intake entries") && unconfirmed.stderr.contains("--yes"))
            #expect(try IntegrationStore(path: dir + "/mislink.sqlite").intake(integration: "oak").count == 3)

            let excluded = try await MISLinkBinary.run(["intake", "exclude", String(ids[2])], in: dir)
            #expect(excluded.status == 0 && excluded.stdout.contains("intake entry \(ids[2]) excluded"))

            let mixed = try await MISLinkBinary.run(["intake", "transfer", String(ids[0]), String(ids[2])], in: dir)
            #expect(mixed.status == 1)
            #expect(mixed.stdout.contains("intake entry \(ids[0]) transferred (target record "))
            #expect(mixed.stderr.contains("intake entry \(ids[2]) refused") && mixed.stderr.contains("already excluded"))
            #expect(mixed.stdout.contains("1 decided, 1 refused"))

            let matched = try await MISLinkBinary.run(["intake", "match", "--all", "--yes", "--json"], in: dir)
            #expect(matched.status == 1)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(matched.stdout.utf8)) as? [String: Any])
            let refused = try #require(report["refused"] as? [[String: Any]])
            #expect(refused.map { $0["id"] as? Int64 } == [ids[1]])
            #expect((refused.first?["reason"] as? String)?.contains("no candidate") == true)

            let none = try await MISLinkBinary.run(["intake", "transfer", "--all", "--role", "staff", "--yes"], in: dir)
            #expect(none.status == 0 && none.stdout.contains("0 decided, 0 refused"))
            let rest = try await MISLinkBinary.run(["intake", "transfer", "--all", "--integration", "oak", "--yes"], in: dir)
            #expect(rest.status == 0, "\(rest.stderr)")
            #expect(rest.stdout.contains("intake entry \(ids[1]) transferred"))
            #expect(try IntegrationStore(path: dir + "/mislink.sqlite").intake(integration: "oak").isEmpty)
        }
    }

    @Test("intake show prints the entry and its candidates, as text and --json")
    func show() async throws {
        try await withTemporaryDirectory { dir in
            let ids = try await school(dir)
            let empty = try await MISLinkBinary.run(["intake", "show", String(ids[1])], in: dir)
            #expect(empty.status == 0, "\(empty.stderr)")
            #expect(empty.stdout.contains("candidates:  none") && empty.stdout.contains("Ben Ng"))
            let candidate = IntakeCandidate(targetID: "P77", basis: .name, name: "Ben Ng", dateOfBirth: CalendarDate(iso: "2017-12-12"))
            let json = String(decoding: try JSONEncoder().encode([candidate]), as: UTF8.self)
            try IntegrationStore(path: dir + "/mislink.sqlite").connection.run("UPDATE intake SET candidates = ? WHERE id = ?", [json, ids[1]])
            let shown = try await MISLinkBinary.run(["intake", "show", String(ids[1])], in: dir)
            #expect(shown.stdout.contains("P77") && shown.stdout.contains("same name, other date of birth") && shown.stdout.contains("2017-12-12"))
            let asJSON = try await MISLinkBinary.run(["intake", "show", String(ids[1]), "--json"], in: dir)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(asJSON.stdout.utf8)) as? [String: Any])
            let candidates = try #require(object["candidates"] as? [[String: Any]])
            #expect(candidates.first?["targetId"] as? String == "P77" && candidates.first?["basis"] as? String == "name")
            let missing = try await MISLinkBinary.run(["intake", "show", "9999"], in: dir)
            #expect(missing.status == 1 && missing.stderr.contains("no intake entry 9999"))
        }
    }

    @Test("bad usage exits 2 and says what is wrong", arguments: [
        (["intake", "transfer"], "needs ENTRY"),
        (["intake", "transfer", "1", "--integration", "oak"], "with --all"),
        (["intake", "exclude", "1", "--all"], "not both"),
        (["intake", "match", "1", "2", "--target-id", "X"], "one entry id"),
        (["intake", "transfer", "--all", "--role", "teacher"], "--role must be"),
        (["intake", "transfer", "x1"], "not an intake entry id"),
    ] as [([String], String)])
    func badUsage(arguments: [String], message: String) async throws {
        try await withTemporaryDirectory { dir in
            let result = try await MISLinkBinary.run(arguments, in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }
}
