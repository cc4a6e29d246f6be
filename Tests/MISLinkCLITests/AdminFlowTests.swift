import Foundation
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import PostgresDB
import Testing

extension MultiProcessTests {
    /// An admin's whole day through the built binary, written once and run on both back ends: the
    /// service layer (integrations, intake, exclusions, imports, links, job admin, stats, queues) and
    /// the console answer alike on a SQLite file and on PostgreSQL.
    @Suite(.serialized) struct AdminFlowTests {
        @Test("integration add, go-live, drain, show, intake, exclusions, imports, links, stats, queues, a refused enqueue, retry, discard and the console's API: the same answers on both back ends", arguments: CLIBackend.available)
        func adminDay(backend: CLIBackend) async throws {
            try await withCLIQueue(backend) { dir, queue in
                let db = try #require(queue.environment["MISLINK_DB"])
                var printed: [String] = []
                func run(_ arguments: [String], expect status: Int32 = 0) async throws -> MISLinkBinary.Result {
                    let result = try await MISLinkBinary.run(arguments, in: dir, environment: queue.environment)
                    printed += [result.stdout, result.stderr]
                    #expect(result.status == status, "\(backend): \(arguments.joined(separator: " ")): \(result.stderr)")
                    return result
                }
                func json(_ arguments: [String]) async throws -> Any { try MISLinkBinary.json(try await run(arguments + ["--json"]).stdout) }

                try CSVExport.write(to: dir + "/mis")
                _ = try await run([
                    "integration", "add", "oak", "--connector", "csv", "--target", "directory", "--config", "dir=\(dir)/mis",
                    "--config", "db=\(dir)/library.sqlite",
                ])
                let listed = try #require(try await json(["integration", "list"]) as? [[String: Any]])
                #expect(listed.map { $0["id"] as? String } == ["oak"])
                // Before the setup wizard has run, go-live is refused by the state table, by name.
                let early = try await run(["integration", "go-live", "oak"], expect: 2)
                #expect(early.stderr.contains("go-live needs it Ready"), "\(early.stderr)")
                try IntegrationStore(location: db).setStatus("oak", .ready, now: 0)  // the wizard's outcome

                _ = try await run(["integration", "go-live", "oak"])
                let drained = try #require(try await json(["worker", "--drain"]) as? [String: Any])
                #expect(drained["succeeded"] as? Int == 1, "\(drained)")
                let shown = try #require(try await json(["integration", "show", "oak"]) as? [String: Any])
                #expect(shown["status"] as? String == "on", "\(shown)")

                // The empty target sent all three pupils to intake.
                let intake = try #require(try await json(["intake", "list"]) as? [[String: Any]])
                #expect(intake.compactMap { $0["misId"] as? String }.sorted() == ["M1", "M2", "M3"], "\(intake)")
                _ = try await run(["exclude", "add", "--integration", "oak", "--mis-id", "M3"])
                let exclusions = try await run(["exclude", "list", "--integration", "oak"])
                #expect(exclusions.stdout.contains("M3"), "\(exclusions.stdout)")
                let imports = try #require(try await json(["imports", "list", "--integration", "oak"]) as? [[String: Any]])
                #expect(imports.count == 1, "\(imports)")
                _ = try await run(["links", "list", "--integration", "oak"])

                let stats = try await run(["stats", "--json"])
                #expect(stats.stdout.contains("initial-upload"), "\(stats.stdout)")
                let queues = try await run(["queue", "list", "--json"])
                #expect(queues.status == 0)

                // A job that fails for good, retried and failed again, then discarded.
                let failing = try await run(["enqueue", "noop", "--payload", #"{"fail": "permanent"}"#])
                #expect(!failing.stdout.isEmpty)
                _ = try await run(["worker", "--drain"])
                let failed = try #require(try await json(["jobs", "failed"]) as? [[String: Any]])
                let failedID = try #require(failed.first?["id"] as? Int, "\(failed)")
                _ = try await run(["jobs", "retry", String(failedID)])
                let retried = try #require(try await json(["jobs", "show", String(failedID)]) as? [String: Any])
                #expect(retried["state"] as? String == "available", "\(retried)")
                _ = try await run(["worker", "--drain"])
                _ = try await run(["jobs", "discard", String(failedID)])
                _ = try await run(["jobs", "show", String(failedID)], expect: 1)

                // Switched off, the integration takes no nightly import: the rule, in the transaction that would write it.
                _ = try await run(["integration", "off", "oak"])
                let refused = try await run(["enqueue", "nightly-import", "--integration", "oak"], expect: 2)
                #expect(refused.stderr.contains("oak"), "\(refused.stderr)")

                // The console over the same database.
                let (server, consolePort, log) = try await MISLinkBinary.startConsole(
                    ["serve", "--listen", "127.0.0.1:0", "--token-file", dir + "/console.token"], in: dir, environment: queue.environment)
                defer { kill(server.processIdentifier, SIGTERM) }
                let token = try String(contentsOfFile: dir + "/console.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                func get(_ path: String) async throws -> RawHTTPClient.Response {
                    try await onOwnThread {
                        let client = try RawHTTPClient(port: consolePort)
                        return try client.exchange(
                            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer \(token)\r\n\r\n")
                    }
                }
                let integrations = try await get("/api/integrations")
                #expect(integrations.status == 200 && integrations.text.contains("\"oak\""), "\(integrations.text)")
                let jobs = try await get("/api/jobs?state=succeeded")
                #expect(jobs.status == 200 && jobs.text.contains("initial-upload"), "\(jobs.text)")
                let intakePage = try await get("/api/intake")
                #expect(intakePage.status == 200 && intakePage.text.contains("M1"), "\(intakePage.text)")
                let metrics = try await get("/metrics")
                #expect(metrics.status == 200 && metrics.text.contains("mislink_jobs_completed_total"), "\(metrics.text)")
                for page in ["/", "/jobs", "/integrations/oak", "/intake", "/queues"] {
                    let answer = try await get(page)
                    #expect(answer.status == 200 || answer.status == 303, "\(page): \(answer.status)")
                }
                kill(server.processIdentifier, SIGTERM)
                await MISLinkBinary.exit(of: server)
                #expect(server.terminationStatus == 0)
                printed.append((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")

                if let password = queue.password {
                    for (index, text) in printed.enumerated() { #expect(!text.contains(password), "output \(index) shows the password") }
                }
            }
        }
    }
}
