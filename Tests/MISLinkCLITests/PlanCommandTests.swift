import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import Testing

/// `mislink enqueue … --plan-only` and `mislink plan list|show|apply|discard` through the binary.
@Suite struct PlanCommandTests {
    @Test("an initial upload planned, shown and applied from the command line; refusals exit 2 and say why", arguments: CLIBackend.available)
    func planShowApply(backend: CLIBackend) async throws {
        try await withCLIQueue(backend) { dir, queue in
            let db = try #require(queue.environment["MISLINK_DB"])
            let mis = dir + "/mis"
            try CSVExport.write(to: mis)
            var printed: [String] = []
            func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
                let result = try await MISLinkBinary.run(arguments, in: dir, environment: queue.environment)
                printed += [result.stdout, result.stderr]
                return (result.status, result.stdout, result.stderr)
            }
            #expect(try await run(
                ["integration", "add", "oak", "--connector", "csv", "--target", "directory", "--config", "dir=\(mis)",
                 "--config", "db=\(dir)/library.sqlite"]).status == 0)
            #expect(try await run(["integration", "set", "oak", "new-records=create"]).status == 0)
            try IntegrationStore(location: db).setStatus("oak", .ready, now: 0)

            let badGuard = try await run(["integration", "set", "oak", "guard.pupils.update=lots"])
            #expect(badGuard.status == 2 && badGuard.stderr.contains("setting 'guard.pupils.update' must be a share (10%)"), "\(badGuard.stderr)")
            let notPlanned = try await run(["enqueue", "noop", "--plan-only"])
            #expect(notPlanned.status == 2 && notPlanned.stderr.contains("--plan-only is for"))
            let asOfAlone = try await run(["enqueue", "initial-upload", "--integration", "oak", "--as-of", "2027-09-01"])
            #expect(asOfAlone.status == 2 && asOfAlone.stderr.contains("--as-of is a rehearsal: it needs --plan-only"))

            let planned = try await run(["enqueue", "initial-upload", "--integration", "oak", "--plan-only"])
            #expect(planned.status == 0, "\(planned.stderr)")
            let id = try #require(Int64(planned.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(try await run(["worker", "--drain"]).status == 0)

            let list = try await run(["plan", "list", "--json"])
            #expect(list.status == 0, "\(list.stderr)")
            let plans = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            #expect(plans.map { $0["id"] as? Int64 } == [id])
            #expect(plans.first?["state"] as? String == "ready")
            #expect((plans.first?["counts"] as? [String: Int])?["create"] == 3)

            let shown = try await run(["plan", "show", String(id), "--kind", "create"])
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("plan \(id): initial-upload of integration oak, ready"))
            #expect(shown.stdout.contains("create pupil M1 (created): ") && shown.stdout.contains("legal_surname none → 'Lee'"), "\(shown.stdout)")
            let badKind = try await run(["plan", "show", String(id), "--kind", "nonsense"])
            #expect(badKind.status == 2 && badKind.stderr.contains("unknown kind of change 'nonsense'"))
            #expect(try IntegrationStore(location: db).require("oak").status == .ready)

            let applied = try await run(["plan", "apply", String(id), "--json"])
            #expect(applied.status == 0, "\(applied.stderr)")
            #expect(try await run(["worker", "--drain"]).status == 0)
            let store = try IntegrationStore(location: db)
            #expect(try store.links(integration: "oak").count == 3)
            #expect(try store.require("oak").status == .on, "the applied upload took the integration live")
            let after = try await run(["plan", "list"])
            #expect(after.stdout.contains("applied"), "\(after.stdout)")
            let again = try await run(["plan", "apply", String(id)])
            #expect(again.status == 2 && again.stderr.contains("plan \(id) is applied: only a ready or held plan can be applied"), "\(again.stderr)")
            let missing = try await run(["plan", "discard", "999"])
            #expect(missing.status == 1 && missing.stderr.contains("there is no plan 999"))
            let badID = try await run(["plan", "show", "x"])
            #expect(badID.status == 2)

            // A rehearsal as of a date is listed as such and cannot be applied.
            let rehearsal = try await run(["enqueue", "nightly-import", "--integration", "oak", "--plan-only", "--as-of", "2027-09-01"])
            #expect(rehearsal.status == 0, "\(rehearsal.stderr)")
            let rehearsalID = try #require(Int64(rehearsal.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(try await run(["worker", "--drain"]).status == 0)
            #expect(try await run(["plan", "list", "--review"]).stdout.contains("ready (as of 2027-09-01)"))
            let refused = try await run(["plan", "apply", String(rehearsalID)])
            #expect(refused.status == 2 && refused.stderr.contains("a rehearsal as of 2027-09-01"))
            let discarded = try await run(["plan", "discard", String(rehearsalID), "--json"])
            #expect(discarded.status == 0 && discarded.stdout.contains("\"discarded\""))
            if let password = queue.password { #expect(!printed.contains { $0.contains(password) }, "the server's password is never printed") }
        }
    }
}
