import Foundation
import MISLinkQueue
import Testing
import MISLinkTestSupport

@Suite struct QueueCommandTests {
    @Test("queue pause keeps a draining worker off the queue (it exits, the job stays available); resume lets it run")
    func pauseDrainResume() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await MISLinkBinary.run(["enqueue", "noop", "--queue", "bulk"], in: dir).status == 0)
            #expect(try await MISLinkBinary.run(["enqueue", "noop", "--queue", "fast"], in: dir).status == 0)
            let paused = try await MISLinkBinary.run(["queue", "pause", "bulk"], in: dir)
            #expect(paused.status == 0, "\(paused.stderr)")
            #expect(paused.stdout.contains("queue bulk paused"))
            #expect(try await MISLinkBinary.run(["queue", "pause", "bulk"], in: dir).stdout.contains("already paused"))

            let drain = try await MISLinkBinary.run(["worker", "--drain", "--json"], in: dir)
            #expect(drain.status == 0, "\(drain.stderr)")
            let summary = try #require(try MISLinkBinary.json(drain.stdout) as? [String: Any])
            #expect(summary["succeeded"] as? Int == 1)
            let jobs = try JobStore(path: dir + "/mislink.sqlite")
            #expect(try jobs.job(id: 1)?.state == .available)

            let list = try await MISLinkBinary.run(["queue", "list", "--json"], in: dir)
            #expect(list.status == 0, "\(list.stderr)")
            let queues = try #require(try MISLinkBinary.json(list.stdout) as? [[String: Any]])
            #expect(queues.map { $0["name"] as? String } == ["bulk"])
            #expect(queues.first?["paused"] as? Bool == true)
            #expect((queues.first?["depth"] as? [String: Int])?["available"] == 1)
            #expect(queues.first?["oldestAvailableAgeMs"] is Int)
            let table = try await MISLinkBinary.run(["queue", "list"], in: dir)
            #expect(table.stdout.contains("bulk") && table.stdout.contains("paused"), "\(table.stdout)")

            #expect(try await MISLinkBinary.run(["queue", "resume", "bulk"], in: dir).stdout.contains("queue bulk resumed"))
            #expect(try await MISLinkBinary.run(["worker", "--drain"], in: dir).status == 0)
            #expect(try jobs.job(id: 1)?.state == .succeeded)
            #expect(try await MISLinkBinary.run(["queue", "resume", "bulk"], in: dir).stdout.contains("was not paused"))
        }
    }

    @Test("queue pause with a bad or missing name is bad usage (exit 2) naming the problem", arguments: [
        (["queue", "pause", "no such"], "'no such' is not a queue name"),
        (["queue", "pause"], "missing queue name"),
        (["queue", "stop", "x"], "unknown queue action 'stop'"),
    ])
    func badInput(arguments: [String], message: String) async throws {
        try await withTemporaryDirectory { dir in
            let result = try await MISLinkBinary.run(arguments, in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    @Test("queue --help lists its actions; the top-level help lists queue")
    func help() async throws {
        try await withTemporaryDirectory { dir in
            let help = try await MISLinkBinary.run(["queue", "--help"], in: dir)
            #expect(help.status == 0)
            for action in ["queue list", "queue pause QUEUE", "queue resume QUEUE"] { #expect(help.stdout.contains(action)) }
            #expect(try await MISLinkBinary.run(["--help"], in: dir).stdout.contains("queue"))
        }
    }
}
