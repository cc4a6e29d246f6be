import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkSync
import MISLinkTestSupport
import SQLiteDB
import Testing

extension MultiProcessTests {
    /// `mislink migrate --from FILE --to postgresql://…`, end to end through the built binary.
    @Suite(.serialized, .enabled(if: TestPostgres.isAvailable)) struct MigrateCommandTests {
        @Test("migrate copies the quickstart's queue and integration into PostgreSQL with every count checked, refuses a non-empty destination unless --replace, and never prints the password")
        func quickstartToPostgres() async throws {
            try await withCLIQueue(.postgres) { dir, queue in
                let url = try #require(queue.environment["MISLINK_DB"])
                let password = try #require(queue.password)
                let quickstart = try await MISLinkBinary.run(["quickstart", "--dir", dir + "/demo"], in: dir)
                #expect(quickstart.status == 0, "\(quickstart.stderr)")
                let file = dir + "/demo/mislink.sqlite"
                let source = try Connection(path: file)
                func count(_ table: String) throws -> Int64 { try source.scalarInt("SELECT count(*) FROM \(table)") ?? -1 }

                let first = try await MISLinkBinary.run(["migrate", "--from", file, "--to", url, "--json"], in: dir)
                #expect(first.status == 0, "\(first.stderr)")
                let report = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
                let tables = try #require(report["tables"] as? [String: Int])
                for table in QueueMigration.tables { #expect(Int64(tables[table] ?? -1) == (try count(table)), "\(table)") }
                #expect(try count("links") > 600)

                // On PostgreSQL: the same links and history, and new jobs numbered after the copied ones.
                let store = try IntegrationStore(location: url)
                #expect(Int64(try store.links(integration: "oakfield").count) == (try count("links")))
                #expect(try store.imports(integration: "oakfield").count == Int(try count("imports")))
                // The lasting counters, histograms and hourly activity came too: /metrics and the chart say the same there.
                let sqliteFigures = try JobStore(path: file)
                let postgresFigures = try #require(try queue.open() as? any QueueAdminBackend)
                let (before, after) = (try sqliteFigures.jobMetrics(), try postgresFigures.jobMetrics())
                #expect(!before.counters.isEmpty)
                #expect(after.counters == before.counters)
                #expect(after.buckets == before.buckets)
                #expect(try postgresFigures.activity(since: 0) == (try sqliteFigures.activity(since: 0)))
                #expect(Int64(tables["job_counters"] ?? -1) == (try source.scalarInt("SELECT count(*) FROM job_counters WHERE name NOT LIKE 'state:%'")))
                let newJob = try queue.open().enqueue(job: NewJob(kind: "noop"))
                #expect(newJob.id > (try source.scalarInt("SELECT max(id) FROM jobs") ?? 0))

                // The migrated integration goes on there: its nightly import enqueued (the state table's rules
                // checked in the sync store on PostgreSQL) and run by a worker on PostgreSQL.
                let enqueued = try await MISLinkBinary.run(
                    ["enqueue", "nightly-import", "--integration", "oakfield", "--db", url, "--json"], in: dir)
                #expect(enqueued.status == 0, "\(enqueued.stderr)")
                let drained = try await MISLinkBinary.run(["worker", "--drain", "--db", url, "--json"], in: dir)
                #expect(drained.status == 0, "\(drained.stderr)")
                let summary = try #require(try JSONSerialization.jsonObject(with: Data(drained.stdout.utf8)) as? [String: Any])
                #expect(summary["failedAttempts"] as? Int == 0, "\(drained.stdout)")
                #expect(try store.imports(integration: "oakfield").count == Int(try count("imports")) + 1)
                #expect(try store.imports(integration: "oakfield").first?.kind == "nightly-import")
                // Paused there, its nightly import is refused by the same rule as on SQLite.
                try store.setStatus("oakfield", .off, now: JobStore.now())
                let refusedKind = try await MISLinkBinary.run(["enqueue", "nightly-import", "--integration", "oakfield", "--db", url], in: dir)
                #expect(refusedKind.status == 2, "\(refusedKind.stderr)")
                #expect(refusedKind.stderr.contains("it is paused"), "\(refusedKind.stderr)")

                let again = try await MISLinkBinary.run(["migrate", "--from", file, "--to", url], in: dir)
                #expect(again.status == 2)
                #expect(again.stderr.contains("--replace"))
                let replaced = try await MISLinkBinary.run(["migrate", "--from", file, "--to", url, "--replace"], in: dir)
                #expect(replaced.status == 0, "\(replaced.stderr)")
                #expect(replaced.stdout.contains("every table's count checked"))
                #expect(try queue.open().job(id: newJob.id) == nil, "--replace empties the destination first")

                let missing = try await MISLinkBinary.run(["migrate", "--from", dir + "/nope.sqlite", "--to", url], in: dir)
                #expect(missing.status == 2)
                for output in [first, enqueued, drained, refusedKind, again, replaced, missing] {
                    #expect(!(output.stdout + output.stderr).contains(password))
                }
            }
        }
    }
}
