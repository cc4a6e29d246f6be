import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkTestSupport
import PostgresDB
import Testing

extension MultiProcessTests {
    /// The queue commands on PostgreSQL, end to end through the built binary.
    @Suite(.serialized, .enabled(if: TestPostgres.isAvailable)) struct PostgresCommandTests {
        @Test("on PostgreSQL: 200 noop jobs enqueued (a batch and one by one), drained by 'worker --drain', all succeeded; the password is printed and stored nowhere")
        func drainOnPostgres() async throws {
            try await withCLIQueue(.postgres) { dir, queue in
                let password = try #require(queue.password)
                let url = try #require(queue.environment["MISLINK_DB"])
                var printed: [String] = []
                func run(_ arguments: [String], expect status: Int32 = 0, environment: [String: String] = [:])
                    async throws -> MISLinkBinary.Result
                {
                    let result = try await MISLinkBinary.run(arguments, in: dir, environment: environment)
                    printed += [result.stdout, result.stderr]
                    #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)")
                    return result
                }
                let lines = (0..<190).map { #"{"kind": "noop", "payload": {"note": "\#($0)"}}"# }
                try lines.joined(separator: "\n").write(toFile: dir + "/batch.jsonl", atomically: true, encoding: .utf8)
                let batch = try await run(["enqueue", "--batch", "batch.jsonl", "--commit-every", "50", "--db", url])
                #expect(batch.stdout.contains("enqueued 190 job(s)"))
                for n in 0..<10 {
                    // Half name the queue with --db, half with MISLINK_DB.
                    let arguments = ["enqueue", "noop", "--payload", #"{"note": "single \#(n)"}"#]
                    _ = try await n % 2 == 0 ? run(arguments + ["--db", url]) : run(arguments, environment: ["MISLINK_DB": url])
                }
                let store = try queue.open()
                #expect(try queue.count(.available, in: store) == 200)

                let drain = try await run(["worker", "--drain", "--concurrency", "4", "--json", "--verbose", "--db", url])
                let summary = try #require(try JSONSerialization.jsonObject(with: Data(drain.stdout.utf8)) as? [String: Any])
                #expect(summary["succeeded"] as? Int == 200)
                #expect(try queue.count(.succeeded, in: store) == 200)
                let listed = try await run(["jobs", "list", "--state", "succeeded", "--limit", "1000", "--json", "--db", url])
                #expect((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [Any])?.count == 200)
                let shown = try await run(["jobs", "show", "1", "--db", url])
                #expect(shown.stdout.contains("succeeded"))
                #expect(try await run(["workers", "--db", url]).stdout.contains("no workers registered"))
                #expect(try await run(["queue", "pause", "default", "--db", url]).stdout.contains("paused"))
                #expect(try await run(["queue", "resume", "default", "--db", url]).stdout.contains("resumed"))

                // A sync kind is checked against its integration in the sync store there (here, none).
                let sync = try await run(["enqueue", "initial-upload", "--integration", "x", "--db", url], expect: 1)
                #expect(sync.stderr.contains("there is no integration 'x'"), "\(sync.stderr)")
                #expect(try queue.count(.available, in: store) == 0, "a refused enqueue enqueued nothing")
                // doctor runs the checks that mean something on a server; --repair-counts (SQLite's counts) is refused.
                let doctor = try await run(["doctor", "--json", "--db", url])
                let checks = try #require(try JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8)) as? [String: Any])
                let byName = Dictionary(uniqueKeysWithValues: (checks["checks"] as? [[String: String]] ?? []).map { ($0["name"] ?? "", $0["verdict"] ?? "") })
                #expect(byName["schema"] == "ok", "\(doctor.stdout)")
                #expect(byName["running jobs"] == "ok" && byName["integrations"] == "ok", "\(doctor.stdout)")
                let repair = try await run(["doctor", "--repair-counts", "--db", url], expect: 2)
                #expect(repair.stderr.contains("doctor --repair-counts is for a SQLite queue file"), "\(repair.stderr)")
                #expect(repair.stderr.contains(":***@"), "\(repair.stderr)")

                #expect(!printed.isEmpty)
                for (index, text) in printed.enumerated() {
                    #expect(!text.contains(password), "output \(index) shows the password")
                }
                // Nothing stored in the queue's tables holds it either.
                let server = try PostgresConnection(url: url)
                for table in ["jobs", "job_errors", "workers", "queue_pauses"] {
                    let hits = try server.execute(
                        "SELECT count(*) FROM \(table) t WHERE strpos(t::text, $1) > 0", [password]).rows.first?.int64(0)
                    #expect(hits == 0, "\(table) holds the password")
                }
                // And no file in the folder (the binary wrote none but its outputs).
                for file in try FileManager.default.subpathsOfDirectory(atPath: dir) {
                    if let text = try? String(contentsOfFile: dir + "/" + file, encoding: .utf8) {
                        #expect(!text.contains(password), "\(file) holds the password")
                    }
                }
            }
        }
    }
}
