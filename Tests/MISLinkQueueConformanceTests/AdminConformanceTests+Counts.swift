import MISLinkQueue
import Testing

/// Checklist 8, counts by state and queue: stats, stateCounts, queueSummaries and heldJobs agree
/// with a known mix of jobs, the same on both back ends.
@Suite struct AdminCountConformanceTests {
    /// queue a: 2 available (kinds x, y), 1 scheduled, 2 running (x); queue b: 1 retryable, 2 failed,
    /// 1 succeeded, 1 cancelled (kind y); queue idle: paused, no jobs.
    struct Mix {
        var available: [Int64] = []
        var running: [Int64] = []
        var oldestRunAt: Int64 = 0
    }

    func makeMix(_ store: any QueueAdminBackend) throws -> Mix {
        var mix = Mix()
        let now = try backendNow(store)
        mix.running.append(try store.runningJob(kind: "x", queue: "a", worker: "w2"))
        mix.running.append(try store.runningJob(kind: "x", queue: "a", worker: "w1"))
        _ = try store.scheduledJob(kind: "x", queue: "a")
        // The higher priority's head comes first in the index, the lower's is the oldest: the loose
        // scan must look at both.
        mix.available.append(try store.availableJob(kind: "x", queue: "a", priority: 5, runAt: now - 1_000))
        mix.available.append(try store.availableJob(kind: "y", queue: "a", priority: 0, runAt: now - 60_000))
        mix.oldestRunAt = now - 60_000
        _ = try store.retryableJob(kind: "y", queue: "b")
        _ = try store.failedJob(kind: "y", queue: "b")
        _ = try store.failedJob(kind: "y", queue: "b")
        _ = try store.succeededJob(kind: "y", queue: "b")
        _ = try store.cancelledJob(kind: "y", queue: "b")
        #expect(try store.pauseQueue("idle"))
        return mix
    }

    static func counts(_ nonZero: [JobState: Int]) -> [JobState: Int] {
        Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, nonZero[$0] ?? 0) })
    }

    @Test("stateCounts: every state present, narrowed by kind and by queue", arguments: Backend.available)
    func stateCounts(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            #expect(try store.stateCounts(kind: nil, queue: nil) == Self.counts([:]))
            _ = try makeMix(store)
            #expect(try store.stateCounts(kind: nil, queue: nil) == Self.counts([
                .available: 2, .scheduled: 1, .running: 2, .retryable: 1, .failed: 2, .succeeded: 1, .cancelled: 1,
            ]))
            #expect(try store.stateCounts(kind: "x", queue: nil) == Self.counts([.available: 1, .scheduled: 1, .running: 2]))
            #expect(try store.stateCounts(kind: nil, queue: "b") == Self.counts([.retryable: 1, .failed: 2, .succeeded: 1, .cancelled: 1]))
            #expect(try store.stateCounts(kind: "y", queue: "a") == Self.counts([.available: 1]))
            #expect(try store.stateCounts(kind: nil, queue: "idle") == Self.counts([:]))
        }
    }

    @Test("stats: jobs by kind and state, sorted, and the oldest available job's run-at", arguments: Backend.available)
    func stats(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            #expect(try store.stats() == QueueStats.backend(rows: [], oldestAvailableRunAt: nil))
            let mix = try makeMix(store)
            let stats = try store.stats()
            #expect(stats.rows == [
                .init(kind: "x", state: .available, count: 1), .init(kind: "x", state: .running, count: 2),
                .init(kind: "x", state: .scheduled, count: 1), .init(kind: "y", state: .available, count: 1),
                .init(kind: "y", state: .cancelled, count: 1), .init(kind: "y", state: .failed, count: 2),
                .init(kind: "y", state: .retryable, count: 1), .init(kind: "y", state: .succeeded, count: 1),
            ])
            #expect(stats.oldestAvailableRunAt == mix.oldestRunAt)
            #expect(stats.count(state: .running) == 2)
        }
    }

    @Test("queueSummaries: depths of the pending states and failed, the oldest available, and a paused queue with no jobs", arguments: Backend.available)
    func queueSummaries(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let mix = try makeMix(store)
            let summaries = try store.queueSummaries(using: nil)
            #expect(summaries.map(\.name) == ["a", "b", "idle"])
            #expect(summaries[0].depth == [.available: 2, .scheduled: 1, .running: 2])
            #expect(summaries[0].oldestAvailableRunAt == mix.oldestRunAt)
            #expect(!summaries[0].isPaused)
            #expect(summaries[1].depth == [.retryable: 1, .failed: 2], "finished jobs are not a depth")
            #expect(summaries[1].oldestAvailableRunAt == nil)
            #expect(summaries[2].depth.isEmpty)
            #expect(summaries[2].isPaused)
            #expect(try store.resumeQueue("idle"))
            // A second queue with available jobs: the loose scan goes on from one queue to the next.
            let now = try backendNow(store)
            _ = try store.availableJob(kind: "z", queue: "c", priority: 9, runAt: now - 5_000)
            _ = try store.availableJob(kind: "z", queue: "c", priority: -3, runAt: now - 7_000)
            let more = try store.queueSummaries(using: nil)
            #expect(more.map(\.name) == ["a", "b", "c"])
            #expect(more.map(\.oldestAvailableRunAt) == [mix.oldestRunAt, nil, now - 7_000])
            #expect(more.last?.depth == [.available: 2])

            // Given metrics, their states are the depths (read once by a scrape).
            let metrics = JobMetrics(counters: [], buckets: [], states: [.backend(state: .available, kind: "k", queue: "z", count: 3)])
            let given = try store.queueSummaries(using: metrics)
            #expect(given.map(\.name) == ["z"], "the queues are the metrics' (and the paused ones)")
            #expect(given.last?.depth == [.available: 3])
        }
    }

    @Test("heldJobs: every running job with its worker, by worker then id", arguments: Backend.available)
    func heldJobs(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            #expect(try store.heldJobs().isEmpty)
            let mix = try makeMix(store)
            let held = try store.heldJobs()
            #expect(held.map(\.id) == [mix.running[1], mix.running[0]])
            #expect(held.map(\.workerID) == ["w1", "w2"])
            #expect(held.allSatisfy { $0.kind == "x" && $0.queue == "a" && $0.attempt == 1 && $0.startedAt != nil && $0.leaseExpiresAt != nil })
            #expect(held.allSatisfy { !$0.cancelRequested })
            #expect(try store.cancelJob(id: mix.running[0]) == .requested)
            #expect(try store.heldJobs().map(\.cancelRequested) == [false, true])
        }
    }
}
