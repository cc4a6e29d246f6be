import Foundation
import MISLinkQueue
import Testing
import MISLinkTestSupport

@Suite struct CommandLineTests {
    @Test("help is printed for the tool and every command, with exit 0")
    func help() async throws {
        try await withTemporaryDirectory { dir in
            let top = try await MISLinkBinary.run(["--help"], in: dir)
            #expect(top.status == 0)
            #expect(top.stdout.contains("Exit codes"))
            for command in ["enqueue", "worker", "jobs", "stats", "workers", "plugins", "policies", "quickstart"] {
                let result = try await MISLinkBinary.run([command, "--help"], in: dir)
                #expect(result.status == 0, "\(command) --help")
                #expect(result.stdout.contains("Usage: mislink \(command)"), "\(command) --help")
            }
            #expect(!FileManager.default.fileExists(atPath: dir + "/mislink.sqlite"))
        }
    }

    @Test("an unknown command or option is bad usage: exit 2 and one line on stderr")
    func badUsage() async throws {
        try await withTemporaryDirectory { dir in
            let unknown = try await MISLinkBinary.run(["frobnicate"], in: dir)
            #expect(unknown.status == 2)
            #expect(unknown.stderr == "mislink: unknown command 'frobnicate'; see 'mislink --help'\n")
            let option = try await MISLinkBinary.run(["stats", "--colour"], in: dir)
            #expect(option.status == 2)
            #expect(option.stderr.hasPrefix("mislink: unknown option '--colour'"))
        }
    }

    @Test("enqueue prints the new job's id, and --json the id, whether inserted and the state")
    func enqueue() async throws {
        try await withTemporaryDirectory { dir in
            let first = try await MISLinkBinary.run(["enqueue", "noop"], in: dir)
            #expect(first.status == 0)
            #expect(first.stdout == "1\n")
            let second = try await MISLinkBinary.run(["enqueue", "noop", "--in", "10m", "--json"], in: dir)
            let object = try #require(try MISLinkBinary.json(second.stdout) as? [String: Any])
            #expect(object["id"] as? Int == 2)
            #expect(object["state"] as? String == "scheduled")
            #expect(object["inserted"] as? Bool == true)
        }
    }

    @Test("the same unique key twice gives the same id and a note, not a second job")
    func uniqueKey() async throws {
        try await withTemporaryDirectory { dir in
            let a = try await MISLinkBinary.run(["enqueue", "noop", "--unique-key", "event-7"], in: dir)
            let b = try await MISLinkBinary.run(["enqueue", "noop", "--unique-key", "event-7"], in: dir)
            #expect(a.stdout == b.stdout)
            #expect(b.stderr.contains("already available"))
            #expect(try JobStore(path: dir + "/mislink.sqlite").stats().count(state: .available) == 1)
        }
    }

    @Test("bad input to enqueue exits 2 with the reason and writes nothing", arguments: [
        (["enqueue", "nightly-imprt"], "unknown job kind 'nightly-imprt'"),
        (["enqueue", "noop", "--payload", "{oops"], "payload is not valid JSON"),
        (["enqueue", "noop", "--payload", "[1,2]"], "payload must be a JSON object"),
        (["enqueue", "noop", "--payload", #"{"sleepMs": "soon"}"#], "'sleepMs' must be a whole number"),
        (["enqueue", "noop", "--payload", #"{"bogus": 1}"#], "noop payload key 'bogus' is not known"),
        (["enqueue", "rematch", "--payload", #"{"mis": {"password": "hunter2"}}"#], "looks like a secret"),
        (["enqueue", "noop", "--in", "10m", "--at", "2030-01-01T00:00:00Z"], "either 'in' or 'at'"),
        (["enqueue", "noop", "--in", "soon"], "'in' must be a duration"),
        (["enqueue", "noop", "--priority", "high"], "--priority' must be a whole number"),
        (["enqueue", "noop", "--payload", "@/nonexistent/file.json"], "cannot read payload file"),
        (["enqueue", "noop", "--queue", "bad queue"], "queue must be a queue name"),
        (["enqueue"], "missing job kind"),
    ] as [([String], String)])
    func badEnqueue(arguments: [String], message: String) async throws {
        try await withTemporaryDirectory { dir in
            let result = try await MISLinkBinary.run(arguments, in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
            #expect(!result.stderr.contains("hunter2"))
            #expect(result.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: dir + "/mislink.sqlite"))
        }
    }

    @Test("a batch with one bad line writes nothing and names the line")
    func badBatch() async throws {
        try await withTemporaryDirectory { dir in
            let lines = [#"{"kind": "noop"}"#, #"{"kind": "noop", "payload": {"sleepMs": 1}}"#, #"{"kind": "nope"}"#]
            try lines.joined(separator: "\n").write(toFile: dir + "/batch.jsonl", atomically: true, encoding: .utf8)
            let result = try await MISLinkBinary.run(["enqueue", "--batch", "batch.jsonl"], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("batch.jsonl line 3: unknown job kind 'nope'"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/mislink.sqlite"))
        }
    }

    @Test("a batch from stdin lands whole, with the ids in --json")
    func batchFromStdin() async throws {
        try await withTemporaryDirectory { dir in
            let lines = (0..<50).map { #"{"kind": "noop", "integration": "oak", "payload": {"note": "n\#($0)"}}"# }
            let result = try await MISLinkBinary.run(["enqueue", "--batch", "-", "--json"], in: dir, stdin: lines.joined(separator: "\n"))
            #expect(result.status == 0, "\(result.stderr)")
            let object = try #require(try MISLinkBinary.json(result.stdout) as? [String: Any])
            #expect(object["enqueued"] as? Int == 50)
            #expect((object["ids"] as? [Int])?.count == 50)
        }
    }

    @Test("jobs show --json carries every documented field")
    func showJSON() async throws {
        try await withTemporaryDirectory { dir in
            try await MISLinkBinary.run(["enqueue", "noop", "--integration", "oak", "--payload", #"{"note":"x"}"#, "--unique-key", "u"], in: dir)
            let result = try await MISLinkBinary.run(["jobs", "show", "1", "--json"], in: dir)
            let job = try #require(try MISLinkBinary.json(result.stdout) as? [String: Any])
            for key in ["id", "kind", "queue", "state", "integration", "priority", "attempt", "maxAttempts", "runAt", "createdAt",
                        "startedAt", "finishedAt", "uniqueKey", "payload", "lastError", "errors"] {
                #expect(job.keys.contains(key), "missing \(key)")
            }
            #expect(job["integration"] as? String == "oak")
            #expect((job["payload"] as? [String: Any])?["note"] as? String == "x")
            #expect(job["uniqueKey"] as? String == "u")
        }
    }

    @Test("a missing job is a failed operation: exit 1")
    func missingJob() async throws {
        try await withTemporaryDirectory { dir in
            _ = try JobStore(path: dir + "/mislink.sqlite")
            let result = try await MISLinkBinary.run(["jobs", "show", "42"], in: dir)
            #expect(result.status == 1)
            #expect(result.stderr == "mislink: job 42 does not exist\n")
        }
    }

    @Test("a database file that is not one is named, exit 2, and left as it was")
    func notADatabase() async throws {
        try await withTemporaryDirectory { dir in
            let junk = String(repeating: "not a database\n", count: 300)
            try junk.write(toFile: dir + "/mislink.sqlite", atomically: true, encoding: .utf8)
            let result = try await MISLinkBinary.run(["stats"], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("mislink.sqlite is not a SQLite database"))
            #expect(try String(contentsOfFile: dir + "/mislink.sqlite", encoding: .utf8) == junk)
        }
    }

    @Test("a bad policy file stops every command that uses policies, naming file and key")
    func badPolicyFile() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/jobs", withIntermediateDirectories: true)
            try #"{"maxAttempts": "lots"}"#.write(toFile: dir + "/jobs/write-back.json", atomically: true, encoding: .utf8)
            for arguments in [["policies"], ["enqueue", "noop"], ["worker", "--drain"]] {
                let result = try await MISLinkBinary.run(arguments, in: dir)
                #expect(result.status == 2, "\(arguments)")
                #expect(result.stderr.contains("jobs/write-back.json: key 'maxAttempts': must be a whole number"), "\(arguments)")
            }
        }
    }

    @Test("retries and failures can be watched end to end from the command line")
    func retryEndToEnd() async throws {
        try await withTemporaryDirectory { dir in
            _ = try writeQuickPolicies(in: dir, maxAttempts: 3)
            try await MISLinkBinary.run(["enqueue", "noop", "--payload", #"{"fail":"retryable","untilAttempt":2}"#], in: dir)
            try await MISLinkBinary.run(["enqueue", "noop", "--payload", #"{"fail":"permanent"}"#], in: dir)
            let drain = try await MISLinkBinary.run(["worker", "--drain", "--json"], in: dir)
            #expect(drain.status == 0, "\(drain.stderr)")
            let summary = try #require(try MISLinkBinary.json(drain.stdout) as? [String: Any])
            #expect(summary["succeeded"] as? Int == 1)
            #expect(summary["failedAttempts"] as? Int == 2)

            let failed = try await MISLinkBinary.run(["jobs", "failed", "--json"], in: dir)
            let list = try #require(try MISLinkBinary.json(failed.stdout) as? [[String: Any]])
            #expect(list.map { $0["id"] as? Int } == [2])
            let show = try await MISLinkBinary.run(["jobs", "show", "1"], in: dir)
            #expect(show.stdout.contains("state:        succeeded"))
            #expect(show.stdout.contains("attempt 1 at"))
            #expect(show.stdout.contains("noop asked to fail (retryable) on attempt 1"))

            let retry = try await MISLinkBinary.run(["jobs", "retry", "2"], in: dir)
            #expect(retry.status == 0)
            #expect(try JobStore(path: dir + "/mislink.sqlite").job(id: 2)?.state == .available)
            let again = try await MISLinkBinary.run(["jobs", "retry", "2"], in: dir)
            #expect(again.status == 1)
            #expect(again.stderr.contains("only failed or cancelled jobs can be retried"))
        }
    }

    @Test("cancel, prune and stats do what they say")
    func adminCommands() async throws {
        try await withTemporaryDirectory { dir in
            try await MISLinkBinary.run(["enqueue", "noop", "--in", "1h"], in: dir)
            #expect(try await MISLinkBinary.run(["jobs", "cancel", "1"], in: dir).stdout == "job 1 cancelled\n")
            let again = try await MISLinkBinary.run(["jobs", "cancel", "1"], in: dir)
            #expect(again.status == 1)
            let stats = try #require(try MISLinkBinary.json(try await MISLinkBinary.run(["stats", "--json"], in: dir).stdout) as? [String: Any])
            #expect((stats["totals"] as? [String: Int])?["cancelled"] == 1)
            #expect(try await MISLinkBinary.run(["jobs", "prune", "--older-than", "1d"], in: dir).stdout == "pruned 0 finished job(s)\n")
            #expect(try await MISLinkBinary.run(["jobs", "prune", "--older-than", "0s"], in: dir).stdout == "pruned 1 finished job(s)\n")
            #expect(try await MISLinkBinary.run(["jobs", "prune"], in: dir).status == 2)
        }
    }

    @Test("plugins lists each built-in plugin with its kit version and config keys")
    func plugins() async throws {
        try await withTemporaryDirectory { dir in
            let result = try await MISLinkBinary.run(["plugins", "--json"], in: dir)
            let object = try #require(try MISLinkBinary.json(result.stdout) as? [String: Any])
            let plugins = try #require(object["plugins"] as? [[String: Any]])
            #expect(Set(plugins.compactMap { $0["id"] as? String }).isSuperset(of: ["csv", "directory", "wonde"]))
            #expect(plugins.allSatisfy { $0["kitVersion"] as? String == object["kitVersion"] as? String })
        }
    }
}
