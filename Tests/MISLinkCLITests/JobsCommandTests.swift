import Foundation
import MISLinkQueue
import MISLinkSync
import SQLiteDB
import Testing
import MISLinkTestSupport

@Suite struct JobsCommandTests {
    /// Integration "oak" in `status`, with one failed job of each kind given.
    private func failedJobs(_ dir: String, status: IntegrationStatus, kinds: [String]) async throws -> [Int64] {
        try FileManager.default.createDirectory(atPath: dir + "/mis", withIntermediateDirectories: true)
        let added = try await MISLinkBinary.run(
            ["integration", "add", "oak", "--connector", "csv", "--target", "directory", "--config", "dir=\(dir)/mis",
             "--config", "db=\(dir)/library.sqlite"], in: dir)
        #expect(added.status == 0, "\(added.stderr)")
        try IntegrationStore(path: dir + "/mislink.sqlite").setStatus("oak", status, reason: "test", now: 0)
        let jobs = try JobStore(path: dir + "/mislink.sqlite")
        return try kinds.map { kind in
            let id = try jobs.enqueue(NewJob(kind: kind, integration: kind == "noop" ? nil : "oak", maxAttempts: 1)).id
            try jobs.connection.run("UPDATE jobs SET state = 'failed', attempt = 1, finished_at = 1 WHERE id = ?", [id])
            return id
        }
    }

    @Test("jobs retry of a nightly import while its integration is in Error exits 2 naming the status, and does nothing")
    func retryRefused() async throws {
        try await withTemporaryDirectory { dir in
            let ids = try await failedJobs(dir, status: .error, kinds: ["nightly-import"])
            let result = try await MISLinkBinary.run(["jobs", "retry", String(ids[0])], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("is Error"), "\(result.stderr)")
            #expect(try JobStore(path: dir + "/mislink.sqlite").job(id: ids[0])?.state == .failed)
        }
    }

    @Test("retry --all-failed retries the allowed jobs, names the refused ones with their reason, and exits 2")
    func retryAllFailed() async throws {
        try await withTemporaryDirectory { dir in
            let ids = try await failedJobs(dir, status: .error, kinds: ["noop", "nightly-import", "rematch"])
            let result = try await MISLinkBinary.run(["jobs", "retry", "--all-failed"], in: dir)
            #expect(result.status == 2)
            #expect(result.stdout.contains("retried 2 failed job(s)"))
            #expect(result.stderr.contains("job \(ids[1]) (nightly-import) left failed: integration 'oak' is Error"), "\(result.stderr)")
            let jobs = try JobStore(path: dir + "/mislink.sqlite")
            #expect(try ids.map { try jobs.job(id: $0)?.state } == [.available, .failed, .available])
        }
    }

    @Test("jobs show cuts a long payload and says how long it is; --full and --json print it whole")
    func showCapsPayload() async throws {
        try await withTemporaryDirectory { dir in
            let note = String(repeating: "x", count: 20_000)
            let payload = #"{"note":"\#(note)"}"#
            let enqueued = try await MISLinkBinary.run(["enqueue", "noop", "--payload", payload], in: dir)
            #expect(enqueued.status == 0, "\(enqueued.stderr)")
            let shown = try await MISLinkBinary.run(["jobs", "show", "1"], in: dir)
            #expect(shown.status == 0)
            #expect(shown.stdout.count < 6_000)
            #expect(shown.stdout.contains("… (\(payload.utf8.count) bytes; --full to see all)"))
            #expect(try await MISLinkBinary.run(["jobs", "show", "1", "--full"], in: dir).stdout.contains(payload))
            let json = try #require(try MISLinkBinary.json(try await MISLinkBinary.run(["jobs", "show", "1", "--json"], in: dir).stdout) as? [String: Any])
            #expect((json["payload"] as? [String: Any])?["note"] as? String == note)
        }
    }

    @Test("a batch file with CRLF line ends is read, and a bad line's number is the editor's")
    func crlfBatch() async throws {
        try await withTemporaryDirectory { dir in
            let good = [#"{"kind": "noop"}"#, "", #"{"kind": "noop", "payload": {"note": "b"}}"#].joined(separator: "\r\n") + "\r\n"
            try good.write(toFile: dir + "/good.jsonl", atomically: true, encoding: .utf8)
            let result = try await MISLinkBinary.run(["enqueue", "--batch", "good.jsonl"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "enqueued 2 job(s)\n")
            let bad = [#"{"kind": "noop"}"#, #"{"kind": "noop"}"#, #"{"kind": "nope"}"#].joined(separator: "\r\n")
            try bad.write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
            let refused = try await MISLinkBinary.run(["enqueue", "--batch", "bad.jsonl"], in: dir)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("bad.jsonl line 3: unknown job kind 'nope'"), "\(refused.stderr)")
        }
    }

    @Test("a batch line its integration's status refuses is named, exit 2, and nothing is written")
    func batchRuleRefusal() async throws {
        try await withTemporaryDirectory { dir in
            _ = try await failedJobs(dir, status: .pending, kinds: [])
            let lines = [#"{"kind": "noop"}"#, #"{"kind": "nightly-import", "integration": "oak"}"#]
            try lines.joined(separator: "\n").write(toFile: dir + "/batch.jsonl", atomically: true, encoding: .utf8)
            let result = try await MISLinkBinary.run(["enqueue", "--batch", "batch.jsonl"], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("batch.jsonl line 2: integration 'oak' is Pending"), "\(result.stderr)")
            #expect(try JobStore(path: dir + "/mislink.sqlite").stats().rows.isEmpty)
        }
    }
}
