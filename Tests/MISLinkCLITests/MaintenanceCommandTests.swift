import Foundation
import MISLinkQueue
import SQLiteDB
import Testing
import MISLinkTestSupport

/// `mislink doctor` and `mislink backup`.
@Suite struct MaintenanceCommandTests {
    private func checks(_ output: String) throws -> [String: String] {
        let json = try #require(try MISLinkBinary.json(output) as? [String: Any])
        let list = try #require(json["checks"] as? [[String: String]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"]!, $0["verdict"]!) })
    }

    @Test("doctor checks every item with a verdict; loose permissions fail it (exit 1), an orphaned running job warns")
    func doctor() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await MISLinkBinary.run(["enqueue", "noop"], in: dir).status == 0)
            let fine = try await MISLinkBinary.run(["doctor", "--json"], in: dir)
            #expect(fine.status == 0, "\(fine.stderr)")
            let verdicts = try checks(fine.stdout)
            #expect(Set(verdicts.keys) == ["integrity", "schema", "wal", "disk", "job counts", "running jobs", "workers", "integrations", "history", "permissions"])
            #expect(verdicts["history"] == "ok")
            #expect(verdicts["integrity"] == "ok" && verdicts["schema"] == "ok" && verdicts["permissions"] == "ok")
            #expect(verdicts["workers"] == "warning", "no worker runs")

            let store = try JobStore(path: dir + "/mislink.sqlite")
            _ = try store.claim(workerID: "gone:1:x", limit: 1, leaseMilliseconds: 60_000)
            chmod(dir + "/mislink.sqlite", 0o644)
            let bad = try await MISLinkBinary.run(["doctor", "--json"], in: dir)
            #expect(bad.status == 1)
            let after = try checks(bad.stdout)
            #expect(after["permissions"] == "failed")
            #expect(after["running jobs"] == "warning")
            let text = try await MISLinkBinary.run(["doctor"], in: dir)
            #expect(text.stdout.contains("readable by others: ./mislink.sqlite (644)"))
        }
    }

    @Test("doctor fails when the job counts disagree with the jobs, names the repair, and --repair-counts rebuilds them")
    func jobCounts() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await MISLinkBinary.run(["enqueue", "noop"], in: dir).status == 0)
            // A change behind the store's back: the counts still say available.
            try Connection(path: dir + "/mislink.sqlite").run("UPDATE jobs SET state = 'failed'")
            let bad = try await MISLinkBinary.run(["doctor", "--json"], in: dir)
            #expect(bad.status == 1)
            #expect(try checks(bad.stdout)["job counts"] == "failed")
            #expect(bad.stdout.contains("counted 1, found 0") && bad.stdout.contains("mislink doctor --repair-counts"), "\(bad.stdout)")
            let repaired = try await MISLinkBinary.run(["doctor", "--repair-counts", "--json"], in: dir)
            #expect(repaired.stderr.contains("repaired 2 job count(s)"), "\(repaired.stderr)")
            #expect(try checks(repaired.stdout)["job counts"] == "ok")
            #expect(try JobStore(path: dir + "/mislink.sqlite").stats().count(state: .failed) == 1)
        }
    }

    @Test("a backup taken while a worker drains is a consistent, owner-only queue with every job; it never overwrites")
    func backupWhileDraining() async throws {
        try await withTemporaryDirectory { dir in
            let lines = (0..<2_000).map { _ in #"{"kind": "noop", "payload": {"sleepMs": 1}}"# }
            try lines.joined(separator: "\n").write(toFile: dir + "/batch.jsonl", atomically: true, encoding: .utf8)
            #expect(try await MISLinkBinary.run(["enqueue", "--batch", "batch.jsonl"], in: dir).status == 0)
            let worker = try MISLinkBinary.start(["worker", "--drain"], in: dir, stderrPath: dir + "/worker.log")
            let store = try JobStore(path: dir + "/mislink.sqlite")
            try await waitUntil("the drain to be under way") { try store.stats().count(state: .succeeded) > 100 }
            let backup = try await MISLinkBinary.run(["backup", "--to", "copy.sqlite", "--json"], in: dir)
            #expect(backup.status == 0, "\(backup.stderr)")
            await MISLinkBinary.exit(of: worker)
            #expect(try permissions(of: dir + "/copy.sqlite") == 0o600)
            let copy = try JobStore(path: dir + "/copy.sqlite")
            #expect(try copy.integrityCheck() == ["ok"])
            #expect(try copy.stats().rows.map(\.count).reduce(0, +) == 2_000)
            let again = try await MISLinkBinary.run(["backup", "--to", "copy.sqlite"], in: dir)
            #expect(again.status == 2)
            #expect(again.stderr.contains("never overwrites"))
            let restored = try await MISLinkBinary.run(["stats", "--db", "copy.sqlite", "--json"], in: dir)
            #expect(restored.status == 0)
        }
    }
}
