@testable import MISLinkQueue
import SQLiteDB
import Testing
import MISLinkTestSupport

@Suite struct StateCountTests {
    @Test("tab counts by state, narrowed by kind and by queue, include every state")
    func tabCounts() throws {
        try withStore { store, _ in
            _ = try store.enqueue(batch: [
                NewJob(kind: "a", queue: "q1"), NewJob(kind: "a", queue: "q2"), NewJob(kind: "b", queue: "q1"),
                NewJob(kind: "b", queue: "q1", runAt: t0 + 60_000),
            ], now: t0)
            _ = try store.claim(workerID: "w", limit: 1, queues: ["q2"], leaseMilliseconds: lease, now: t0)
            let all = try store.stateCounts()
            #expect(all.count == JobState.allCases.count)
            #expect(all[.available] == 2 && all[.running] == 1 && all[.scheduled] == 1 && all[.failed] == 0)
            #expect(try store.stateCounts(kind: "a") == all.merging([.available: 1, .scheduled: 0]) { $1 })
            #expect(try store.stateCounts(queue: "q1")[.available] == 2)
            #expect(try store.stateCounts(kind: "b", queue: "q1")[.scheduled] == 1)
            #expect(try store.stateCounts(kind: "nope").values.allSatisfy { $0 == 0 })
        }
    }

    @Test("counters that drifted from the jobs are reported by kind, queue and state, and recountStates repairs them")
    func driftAndRepair() throws {
        try withStore { store, _ in
            _ = try store.enqueue(batch: (0..<3).map { _ in NewJob(kind: "a", queue: "q") }, now: t0)
            #expect(try store.jobCountDrift().isEmpty)
            // A hand edit behind the store's back, as a repair or a bug might make.
            try store.connection.run("UPDATE jobs SET state = 'failed' WHERE id = 1")
            try store.connection.run("DELETE FROM jobs WHERE id = 2")
            let drift = try store.jobCountDrift()
            #expect(drift == [
                JobCountDrift(kind: "a", queue: "q", state: .available, counted: 3, actual: 1),
                JobCountDrift(kind: "a", queue: "q", state: .failed, counted: 0, actual: 1),
            ])
            #expect(try store.recountStates() == 2)
            #expect(try store.jobCountDrift().isEmpty)
            #expect(try store.stateCounts()[.available] == 1)
            #expect(try store.stateCounts()[.failed] == 1)
            #expect(try store.recountStates() == 0)
        }
    }

    @Test("the migration counts the jobs a queue already holds")
    func migrationCountsExistingJobs() throws {
        try withStore { store, path in
            _ = try store.enqueue(batch: (0..<4).map { NewJob(kind: "a", queue: "q\($0 % 2)") }, now: t0)
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            try store.complete([Completion(jobID: 1, outcome: .succeeded(result: nil))], workerID: "w", now: JobStore.now())
            // Back to the schema before counts: no state rows, no activity table.
            try store.connection.execute(
                "DELETE FROM job_counters WHERE name LIKE 'state:%'; DROP TABLE job_activity; PRAGMA user_version = 4")
            let reopened = try JobStore(path: path)
            #expect(try reopened.jobCountDrift().isEmpty)
            #expect(try reopened.stateCounts()[.available] == 3)
            #expect(try reopened.stateCounts()[.succeeded] == 1)
            // The recent success is in its hour's bucket.
            #expect(try reopened.activity(since: 0).map(\.succeeded) == [1])
        }
    }

    @Test("the oldest available job of each queue is found across its priorities, paused or not")
    func oldestAcrossPriorities() throws {
        try withStore { store, _ in
            _ = try store.enqueue(NewJob(kind: "a", queue: "q1", priority: 9), now: t0 + 500)
            _ = try store.enqueue(NewJob(kind: "a", queue: "q1", priority: 0), now: t0 + 100)
            _ = try store.enqueue(NewJob(kind: "a", queue: "q1", priority: 5), now: t0 + 300)
            _ = try store.enqueue(NewJob(kind: "a", queue: "q2", priority: 5), now: t0 + 50)
            _ = try store.enqueue(NewJob(kind: "a", queue: "q3", runAt: t0 + 90_000), now: t0)
            try store.pause(queue: "q2", now: t0)
            let summaries = try store.queueSummaries()
            #expect(summaries.map(\.name) == ["q1", "q2", "q3"])
            #expect(summaries.map(\.oldestAvailableRunAt) == [t0 + 100, t0 + 50, nil])
            #expect(summaries.map { $0.count(.available) } == [3, 1, 0])
            #expect(summaries[2].count(.scheduled) == 1)
            #expect(try store.stats().oldestAvailableRunAt == t0 + 50)
        }
    }

    @Test("a queue whose jobs all finished drops out of the summaries; finished jobs are not in its depth")
    func drainedQueueDropsOut() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "a", queue: "q"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            #expect(try store.queueSummaries().first?.depth == [.running: 1])
            try store.complete([Completion(jobID: id, outcome: .succeeded(result: nil))], workerID: "w", now: t0 + 1)
            #expect(try store.queueSummaries().isEmpty)
            #expect(try store.jobMetrics().states.isEmpty)
            #expect(try store.stats().rows == [QueueStats.Row(kind: "a", state: .succeeded, count: 1)])
        }
    }

    @Test("a scrape's reads use the counters and index seeks: each seek walks the index in its order, no sort")
    func plansSeek() throws {
        try withStore { store, _ in
            _ = try store.enqueue(batch: (0..<50).map { NewJob(kind: "a", queue: "q\($0 % 3)", priority: $0 % 2) }, now: t0)
            let seeks: [(String, [any SQLBindable])] = [
                (JobStore.oldestSeeks.first, []), (JobStore.oldestSeeks.lowerPriority, ["q1", 1]), (JobStore.oldestSeeks.nextQueue, ["q1"]),
            ]
            for (sql, arguments) in seeks {
                let plan = try store.connection.query("EXPLAIN QUERY PLAN " + sql, arguments) { $0.string(3) }.joined(separator: "; ")
                #expect(plan.contains("jobs USING INDEX jobs_available_by_queue"), "\(plan)")
                #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
            }
        }
    }
}
