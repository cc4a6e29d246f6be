import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import Testing

/// The lasting counters, histograms and hourly activity: the same figures on both back ends after
/// the same workload, untouched by pruning, and summed right when two stores complete at once.
@Suite struct MetricsConformanceTests {
    /// The plain counters that are not histogram sums, as "kind/queue/name": value.
    private static func plainCounters(_ metrics: JobMetrics) -> [String: Int64] {
        var counters: [String: Int64] = [:]
        for counter in metrics.counters where !counter.name.hasSuffix(JobMetrics.sumSuffix) {
            counters["\(counter.kind)/\(counter.queue)/\(counter.name)"] = counter.value
        }
        return counters
    }

    /// Runs per kind, queue and metric: each histogram's buckets summed.
    private static func runs(_ metrics: JobMetrics) -> [String: Int64] {
        metrics.buckets.reduce(into: [:]) { $0["\($1.kind)/\($1.queue)/\($1.metric)", default: 0] += $1.count }
    }

    /// Jobs ended per kind, over every hour (the workload may straddle an hour's end).
    private static func ended(_ buckets: [ActivityBucket]) -> [String: [Int]] {
        buckets.reduce(into: [:]) { totals, bucket in
            let sum = totals[bucket.kind] ?? [0, 0]
            totals[bucket.kind] = [sum[0] + bucket.succeeded, sum[1] + bucket.failed]
        }
    }

    @Test("after the same workload both back ends count the same totals, runs, buckets and activity", arguments: Backend.available)
    func sameWorkloadSameFigures(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let since = try backendNow(store) - 60_000
            let ok = try (0..<4).map { _ in try store.enqueue(job: NewJob(kind: "ok", queue: "main")).id }
            let final = try store.enqueue(job: NewJob(kind: "bad", queue: "main", maxAttempts: 1)).id
            let retried = try store.enqueue(job: NewJob(kind: "bad", queue: "main", maxAttempts: 3)).id
            let lost = try store.enqueue(job: NewJob(kind: "lost", queue: "side", maxAttempts: 2)).id
            // A duplicate of a pending unique key is not enqueued, so not counted.
            _ = try store.enqueue(job: NewJob(kind: "uniq", queue: "other", uniqueKey: "u"))
            #expect(try store.enqueue(job: NewJob(kind: "uniq", queue: "other", uniqueKey: "u")).inserted == false)

            // An admin cancels a waiting job: counted, but it never ran (no run time) and is not activity.
            #expect(try store.cancelJob(id: ok[3]) == .cancelled)
            let claimed = try store.claim("w1", limit: 10, queues: ["main"])
            #expect(Set(claimed.map(\.id)) == Set(ok[0..<3] + [final, retried]) as Set<Int64>)
            // One run's times are set, so its buckets are known: ran 2 s after waiting 20 s.
            _ = try fixture.scalar("UPDATE jobs SET started_at = started_at - 2000, run_at = started_at - 22000 WHERE id = \(ok[0])")
            let now = JobStore.now()
            try store.complete(
                "w1",
                [
                    Completion(jobID: ok[0], outcome: .succeeded(result: nil)),
                    Completion(jobID: ok[1], outcome: .succeeded(result: "{\"n\":1}")),
                    Completion(jobID: ok[2], outcome: .cancelled(message: "stopped by its handler")),
                    Completion(jobID: final, outcome: .failed(message: "boom", retryAt: now + 60_000)),
                    Completion(jobID: retried, outcome: .failed(message: "again", retryAt: now + 60_000)),
                    // Not this worker's: fenced off, so not counted.
                    Completion(jobID: lost, outcome: .succeeded(result: nil)),
                ])
            // A run whose lease expires is rescued: retried, and counted as rescued.
            #expect(try store.claim("w2", limit: 10, queues: ["side"], lease: 1).map(\.id) == [lost])
            var rescued = 0
            try eventually("the expired lease is rescued") {
                rescued += try store.rescueExpired()
                return rescued > 0
            }

            let metrics = try store.jobMetrics()
            #expect(
                Self.plainCounters(metrics) == [
                    "ok/main/enqueued": 4, "ok/main/succeeded": 2, "ok/main/cancelled": 2,
                    "bad/main/enqueued": 2, "bad/main/failed": 1, "bad/main/retried": 1,
                    "lost/side/enqueued": 1, "lost/side/retried": 1, "lost/side/rescued": 1,
                    "uniq/other/enqueued": 1,
                ])
            #expect(
                Self.runs(metrics) == [
                    "ok/main/duration": 3, "ok/main/wait": 3, "bad/main/duration": 2, "bad/main/wait": 2,
                    "lost/side/duration": 1, "lost/side/wait": 1,
                ])
            func bucket(_ metric: String, _ le: Int64) -> Int64? {
                metrics.buckets.first { $0.kind == "ok" && $0.queue == "main" && $0.metric == metric && $0.le == le }?.count
            }
            #expect(bucket(JobMetrics.durationMetric, 2_500) == 1)
            #expect(bucket(JobMetrics.waitMetric, 30_000) == 1)
            #expect(metrics.value(JobMetrics.durationMetric + JobMetrics.sumSuffix, kind: "ok", queue: "main") >= 2_000)
            #expect(metrics.value(JobMetrics.waitMetric + JobMetrics.sumSuffix, kind: "ok", queue: "main") >= 20_000)
            // Buckets come sorted as SQLite reads them: kind, queue, metric, bound.
            let order = metrics.buckets.map { [$0.kind, $0.queue, $0.metric] }
            #expect(order == order.sorted { $0.lexicographicallyPrecedes($1) })
            #expect(Self.ended(try store.activity(since: since)) == ["ok": [2, 0], "bad": [0, 1]])
        }
    }

    @Test("pruning finished jobs changes no counter, histogram or activity bucket", arguments: Backend.available)
    func pruneKeepsFigures(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let since = try backendNow(store) - 60_000
            let ids = try (0..<5).map { _ in try store.enqueue(job: NewJob(kind: "p")).id }
            _ = try store.claim("w", limit: 5)
            try store.complete("w", ids.map { Completion(jobID: $0, outcome: .succeeded(result: nil)) })
            let before = try store.jobMetrics()
            let activity = try store.activity(since: since)
            #expect(Self.ended(activity) == ["p": [5, 0]])

            #expect(try store.pruneJobs(olderThan: 0, now: try backendNow(store) + 60_000) == 5)
            #expect(try fixture.scalar("SELECT count(*) FROM jobs") == 0)
            #expect(try store.jobMetrics() == before)
            #expect(try store.activity(since: since) == activity)
        }
    }

    @Test("a follow-up an effect enqueues is counted with its commit; a success whose effect throws counts as a retry", arguments: Backend.available)
    func effectsCountWithTheirCommit(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let parent = try store.enqueue(job: NewJob(kind: "parent")).id
            let broken = try store.enqueue(job: NewJob(kind: "broken")).id
            _ = try store.claim("w", limit: 2)
            let followUp: CommitEffect = { transaction in _ = try transaction.enqueue(NewJob(kind: "child"), now: JobStore.now()) }
            let failing: CommitEffect = { _ in throw QueueError(.invalidInput, "the bookkeeping broke") }
            try store.complete(
                "w",
                [
                    Completion(jobID: parent, outcome: .succeeded(result: nil), effect: followUp),
                    Completion(jobID: broken, outcome: .succeeded(result: nil), effect: failing),
                ])
            #expect(try store.state(broken) == .retryable)
            #expect(
                Self.plainCounters(try store.jobMetrics()) == [
                    "parent/default/enqueued": 1, "parent/default/succeeded": 1, "child/default/enqueued": 1,
                    "broken/default/enqueued": 1, "broken/default/retried": 1,
                ])
        }
    }

    @Test("two stores completing at once, each on its own shard, sum to every job", arguments: Backend.available)
    func concurrentStoresSum(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let enqueuer = try fixture.open()
            let since = try backendNow(enqueuer) - 60_000
            _ = try enqueuer.enqueue(jobs: (0..<400).map { _ in NewJob(kind: "c", queue: "q") })
            // Each store claims its half first, so both are sure to complete jobs, then they complete at once.
            let stores = try (0..<2).map { _ in try fixture.open() }
            let halves = try stores.indices.map { try stores[$0].claim("w\($0)", limit: 200) }
            #expect(halves.map(\.count) == [200, 200])
            let boxes = zip(stores, halves).map { StoreAndJobs(store: $0, jobs: $1.map(\.id)) }
            let done = concurrently(2) { index in
                let box = boxes[index]
                for chunk in stride(from: 0, to: box.jobs.count, by: 10) {
                    let ids = box.jobs[chunk..<min(chunk + 10, box.jobs.count)]
                    try box.store.complete("w\(index)", ids.map { Completion(jobID: $0, outcome: .succeeded(result: nil)) })
                }
                return [box.jobs.count]
            }
            #expect(done.errors.isEmpty)
            let metrics = try enqueuer.jobMetrics()
            #expect(metrics.value(JobMetrics.succeeded, kind: "c", queue: "q") == 400)
            #expect(metrics.value(JobMetrics.enqueued, kind: "c", queue: "q") == 400)
            #expect(Self.runs(metrics) == ["c/q/duration": 400, "c/q/wait": 400])
            #expect(Self.ended(try enqueuer.activity(since: since)) == ["c": [400, 0]])
            if backend == .postgres {
                // The two completing stores wrote different shards (and the enqueuer a third).
                #expect(try fixture.scalar("SELECT count(DISTINCT shard) FROM job_counters WHERE name = 'succeeded'") == 2)
                #expect(try fixture.scalar("SELECT count(DISTINCT shard) FROM job_counters") == 3)
            }
        }
    }
}

/// A store and the jobs it claimed, handed to a test thread.
private struct StoreAndJobs: @unchecked Sendable {
    // Each thread uses only its own box's store, so no store is shared between threads.
    let store: any QueueAdminBackend
    let jobs: [Int64]
}
