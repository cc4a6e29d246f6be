import Foundation
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import SQLiteDB
import Testing

@Suite struct BulkCommandTests {
    /// Failed jobs written straight into the queue (as a worker would leave them), each with its error.
    private func failed(_ dir: String, _ jobs: [(kind: String, integration: String?, error: String)]) throws -> [Int64] {
        let store = try JobStore(path: dir + "/mislink.sqlite")
        return try jobs.map { job in
            let id = try store.enqueue(NewJob(kind: job.kind, integration: job.integration, maxAttempts: 1)).id
            try store.connection.run(
                "UPDATE jobs SET state = 'failed', attempt = 1, finished_at = 1, last_error = ? WHERE id = ?", [job.error, id])
            return id
        }
    }

    @Test("discard --all prints how many match and exits 2 without --yes; with --yes it discards them and reports")
    func discardAllNeedsYes() async throws {
        try await withTemporaryDirectory { dir in
            let ids = try failed(dir, [("noop", nil, "disk full"), ("noop", nil, "disk full"), ("noop", nil, "timeout")])
            let asked = try await MISLinkBinary.run(["jobs", "discard", "--all", "--search", "DISK"], in: dir)
            #expect(asked.status == 2)
            #expect(asked.stderr.contains("2 job(s) match; nothing was done: add --yes"), "\(asked.stderr)")
            let store = try JobStore(path: dir + "/mislink.sqlite")
            #expect(try ids.allSatisfy { try store.job(id: $0) != nil })

            let done = try await MISLinkBinary.run(["jobs", "discard", "--all", "--search", "DISK", "--yes", "--json"], in: dir)
            #expect(done.status == 0, "\(done.stderr)")
            let report = try #require(try MISLinkBinary.json(done.stdout) as? [String: Any])
            #expect(report["acted"] as? Int == 2)
            #expect(report["refusedCount"] as? Int == 0)
            #expect(try ids.map { try store.job(id: $0) == nil } == [true, true, false])
        }
    }

    @Test("retry of several ids retries what the rules allow, names each one left alone with why, and exits 2")
    func retrySeveral() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/mis", withIntermediateDirectories: true)
            let added = try await MISLinkBinary.run(
                ["integration", "add", "oak", "--connector", "csv", "--target", "directory", "--config", "dir=\(dir)/mis",
                 "--config", "db=\(dir)/library.sqlite"], in: dir)
            #expect(added.status == 0, "\(added.stderr)")
            try IntegrationStore(path: dir + "/mislink.sqlite").setStatus("oak", .error, reason: "test", now: 0)
            let ids = try failed(dir, [("noop", nil, "x"), ("nightly-import", "oak", "y")])
            let result = try await MISLinkBinary.run(["jobs", "retry", String(ids[0]), String(ids[1]), "77"], in: dir)
            #expect(result.status == 2)
            #expect(result.stdout.contains("retried 1 job(s)"), "\(result.stdout)")
            #expect(result.stderr.contains("job \(ids[1]) left alone: integration 'oak' is Error"), "\(result.stderr)")
            #expect(result.stderr.contains("job 77 left alone: job 77 does not exist"), "\(result.stderr)")
            let store = try JobStore(path: dir + "/mislink.sqlite")
            #expect(try ids.map { try store.job(id: $0)?.state } == [.available, .failed])
        }
    }

    @Test("cancel --all --yes with a queue filter cancels only that queue's unfinished jobs")
    func cancelByQueue() async throws {
        try await withTemporaryDirectory { dir in
            let store = try JobStore(path: dir + "/mislink.sqlite")
            let a = try store.enqueue(NewJob(kind: "noop", queue: "a")).id
            let b = try store.enqueue(NewJob(kind: "noop", queue: "b")).id
            let result = try await MISLinkBinary.run(["jobs", "cancel", "--all", "--queue", "a", "--yes"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "1 job(s) match\ncancelled 1 job(s)\n")
            #expect(try [a, b].map { try store.job(id: $0)?.state } == [.cancelled, .available])
        }
    }

    @Test("jobs list pages with --before, saying on stderr where the next page starts")
    func listPages() async throws {
        try await withTemporaryDirectory { dir in
            let store = try JobStore(path: dir + "/mislink.sqlite")
            let ids = try (0..<3).map { _ in try store.enqueue(NewJob(kind: "noop", queue: "q")).id }
            let first = try await MISLinkBinary.run(["jobs", "list", "--queue", "q", "--limit", "2", "--json"], in: dir)
            #expect((try MISLinkBinary.json(first.stdout) as? [[String: Any]])?.map { $0["id"] as? Int } == [Int(ids[2]), Int(ids[1])])
            #expect(first.stderr == "more: --before \(ids[1])\n")
            let second = try await MISLinkBinary.run(["jobs", "list", "--queue", "q", "--limit", "2", "--before", String(ids[1]), "--json"], in: dir)
            #expect((try MISLinkBinary.json(second.stdout) as? [[String: Any]])?.map { $0["id"] as? Int } == [Int(ids[0])])
            #expect(second.stderr.isEmpty)
        }
    }

    @Test(
        "mixed-up bulk arguments exit 2 saying what is wrong",
        arguments: [
            (["jobs", "cancel", "1", "--yes"], "--yes goes with --all"), (["jobs", "discard", "1", "--kind", "noop"], "--kind goes with --all"),
            (["jobs", "discard"], "missing job id"), (["jobs", "cancel", "--all", "3"], "unexpected argument '3'"),
            (["jobs", "retry", "--all", "--all-failed"], "not both"), (["jobs", "discard", "1", "x"], "'x' is not a job id"),
            (["jobs", "cancel", "--all", "--state", "lost"], "unknown state 'lost'"),
        ])
    func badArguments(arguments: [String], message: String) async throws {
        try await withTemporaryDirectory { dir in
            _ = try JobStore(path: dir + "/mislink.sqlite")
            let result = try await MISLinkBinary.run(arguments, in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }
}
