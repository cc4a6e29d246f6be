import MISLinkQueue
import MISLinkTestSupport
import Testing

@Suite struct CounterTests {
    private func counters(_ store: JobStore) throws -> [String: Int64] {
        var values: [String: Int64] = [:]
        for counter in try store.jobMetrics().counters { values["\(counter.kind)/\(counter.queue)/\(counter.name)"] = counter.value }
        return values
    }

    @Test("every way a job ends is counted by kind and queue, in the transaction that ends it")
    func everyOutcome() throws {
        try withStore { store, _ in
            let ids = try store.enqueue(batch: (0..<5).map { _ in NewJob(kind: "noop", queue: "q", maxAttempts: 2) }, now: t0).map(\.id)
            _ = try store.enqueue(NewJob(kind: "other", queue: "r"), now: t0)
            _ = try store.claim(workerID: "w", limit: 4, queues: ["q"], leaseMilliseconds: lease, now: t0 + 10)
            try store.complete([
                Completion(jobID: ids[0], outcome: .succeeded(result: nil)),
                Completion(jobID: ids[1], outcome: .succeeded(result: "{}")),
                Completion(jobID: ids[2], outcome: .failed(message: "x", retryAt: nil)),
                Completion(jobID: ids[3], outcome: .failed(message: "x", retryAt: t0)),
            ], workerID: "w", now: t0 + 30)
            #expect(try store.cancel(id: ids[4], now: t0 + 40) == .cancelled)
            // The retried job is claimed again and abandoned: a rescue that fails it (no attempts left).
            _ = try store.claim(workerID: "w2", limit: 1, queues: ["q"], leaseMilliseconds: lease, now: t0 + 50)
            #expect(try store.rescueExpiredLeases(now: t0 + 50 + lease + 1) == 1)
            #expect(try counters(store) == [
                "noop/q/enqueued": 5, "other/r/enqueued": 1,
                "noop/q/succeeded": 2, "noop/q/failed": 2, "noop/q/retried": 1, "noop/q/cancelled": 1, "noop/q/rescued": 1,
                // Four runs of 20 ms that waited 10 ms, then one that waited 50 ms and ran 30,001 ms.
                "noop/q/duration_ms_sum": 4 * 20 + lease + 1, "noop/q/wait_ms_sum": 4 * 10 + 50,
            ])
        }
    }

    @Test("the plain-success fast path fills the histogram buckets per kind and queue; buckets are not cumulative")
    func histogram() throws {
        try withStore { store, _ in
            let ids = try store.enqueue(batch: (0..<3).map { _ in NewJob(kind: "noop") }, now: t0).map(\.id)
            _ = try store.claim(workerID: "w", limit: 3, leaseMilliseconds: lease, now: t0 + 7)
            try store.complete(ids.map { Completion(jobID: $0, outcome: .succeeded(result: nil)) }, workerID: "w", now: t0 + 7 + 2_000)
            let buckets = try store.jobMetrics().buckets
            let duration = buckets.filter { $0.metric == JobMetrics.durationMetric }
            let wait = buckets.filter { $0.metric == JobMetrics.waitMetric }
            #expect(duration.map(\.le) == [2_500])
            #expect(duration.map(\.count) == [3])
            #expect(wait.map(\.le) == [10])
            #expect(wait.map(\.count) == [3])
        }
    }

    @Test("a completion the store refuses (the lease moved on) is not counted; an effect that throws uncounts its success")
    func refusedNotCounted() throws {
        try withStore { store, _ in
            let id = try store.staleCompletion()
            struct Broken: Error {}
            try store.complete(
                [Completion(jobID: id, outcome: .succeeded(result: nil), effect: { _ in throw Broken() })], workerID: "new",
                now: t0 + lease + 4)
            let values = try counters(store)
            #expect(values["noop/default/succeeded"] == nil)
            #expect(values["noop/default/retried"] == 2)
            #expect(values["noop/default/rescued"] == 1)
        }
    }

    @Test("counters survive a prune of the jobs they counted; a unique-key duplicate is not counted as enqueued")
    func surviveTheirJobs() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", uniqueKey: "k"), now: t0).id
            #expect(try store.enqueue(NewJob(kind: "noop", uniqueKey: "k"), now: t0).inserted == false)
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            try store.complete([Completion(jobID: id, outcome: .succeeded(result: nil))], workerID: "w", now: t0 + 1)
            let before = try store.jobMetrics()
            #expect(try store.prune(finishedBefore: t0 + 2) == 1)
            #expect(try store.job(id: id) == nil)
            #expect(try store.jobMetrics() == before)
            #expect(try counters(store)["noop/default/enqueued"] == 1)
            #expect(try counters(store)["noop/default/succeeded"] == 1)
        }
    }

    @Test("a batch touching more kinds than one statement binds is counted whole")
    func manyKinds() throws {
        try withStore { store, _ in
            _ = try store.enqueue(batch: (0..<40).map { NewJob(kind: "kind\($0 % 20)", queue: "q\($0 % 2)") }, now: t0)
            let values = try counters(store)
            #expect(values.count == 20)
            #expect(values.values.allSatisfy { $0 == 2 })
            #expect(values["kind3/q1/enqueued"] == 2)
        }
    }
}
