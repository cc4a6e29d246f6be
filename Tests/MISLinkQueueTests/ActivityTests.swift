import MISLinkQueue
import SQLiteDB
import Testing
import MISLinkTestSupport

@Suite struct ActivityTests {
    static let hour: Int64 = 3_600_000
    /// The start of an hour, so the test's times fall where it says.
    static let h0: Int64 = t0 - t0 % hour

    /// Enqueues, claims and ends one job of `kind` at `at`.
    private func run(_ store: JobStore, _ kind: String, _ outcome: JobOutcome, at: Int64, queue: String = "default") throws {
        let id = try store.enqueue(NewJob(kind: kind, queue: queue, maxAttempts: 1), now: at).id
        let claimed = try store.claim(workerID: "w", limit: 1, queues: [queue], leaseMilliseconds: lease, now: at)
        #expect(claimed.map(\.id) == [id])
        try store.complete([Completion(jobID: id, outcome: outcome)], workerID: "w", now: at)
    }

    @Test("successes and final failures fall in their clock hour's bucket by kind; retries and cancels do not")
    func bucketsByHourAndKind() throws {
        try withStore { store, _ in
            let h0 = Self.h0
            try run(store, "a", .succeeded(result: nil), at: h0 + 10)
            try run(store, "a", .succeeded(result: "{}"), at: h0 + Self.hour - 1)
            try run(store, "b", .failed(message: "x", retryAt: nil), at: h0 + 20, queue: "other")
            try run(store, "a", .failed(message: "x", retryAt: nil), at: h0 + Self.hour)
            try run(store, "a", .cancelled(message: "stop"), at: h0 + Self.hour + 5)
            // A retryable failure is not an end.
            let retried = try store.enqueue(NewJob(kind: "a", maxAttempts: 3), now: h0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: h0)
            try store.complete([Completion(jobID: retried, outcome: .failed(message: "x", retryAt: h0 + 1))], workerID: "w", now: h0 + 30)
            #expect(try store.activity(since: h0) == [
                ActivityBucket(hourStart: h0, kind: "a", succeeded: 2, failed: 0),
                ActivityBucket(hourStart: h0, kind: "b", succeeded: 0, failed: 1),
                ActivityBucket(hourStart: h0 + Self.hour, kind: "a", succeeded: 0, failed: 1),
            ])
            // `since` inside an hour includes that hour's bucket; a later hour leaves it out.
            #expect(try store.activity(since: h0 + Self.hour + 1_000).map(\.hourStart) == [h0 + Self.hour])
            #expect(try store.activity(since: h0 + 2 * Self.hour).isEmpty)
        }
    }

    @Test("a rescue that fails a job for good counts as a failure in its hour; a success whose bookkeeping fails is not counted")
    func rescueAndRolledBackSuccess() throws {
        try withStore { store, _ in
            let h0 = Self.h0
            _ = try store.enqueue(NewJob(kind: "a", maxAttempts: 1), now: h0)
            _ = try store.claim(workerID: "dead", limit: 1, leaseMilliseconds: lease, now: h0)
            #expect(try store.rescueExpiredLeases(now: h0 + lease + 1) == 1)
            struct Broken: Error {}
            let id = try store.enqueue(NewJob(kind: "b", maxAttempts: 2), now: h0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: h0)
            try store.complete(
                [Completion(jobID: id, outcome: .succeeded(result: nil), effect: { _ in throw Broken() })], workerID: "w", now: h0 + 5)
            #expect(try store.activity(since: h0) == [ActivityBucket(hourStart: h0, kind: "a", succeeded: 0, failed: 1)])
        }
    }

    @Test("buckets survive a prune of the jobs they counted")
    func survivePrune() throws {
        try withStore { store, _ in
            try run(store, "a", .succeeded(result: nil), at: Self.h0 + 10)
            try run(store, "a", .failed(message: "x", retryAt: nil), at: Self.h0 + 20)
            let before = try store.activity(since: 0)
            #expect(try store.prune(finishedBefore: Self.h0 + 1_000, now: Self.h0 + 1_000) == 2)
            #expect(try store.stats().rows.isEmpty)
            #expect(try store.activity(since: 0) == before)
            #expect(before == [ActivityBucket(hourStart: Self.h0, kind: "a", succeeded: 1, failed: 1)])
        }
    }

    @Test("buckets older than 35 days are trimmed when a new hour's first job ends, and by prune")
    func trimming() throws {
        let day = 24 * Self.hour
        try withStore { store, path in
            try run(store, "a", .succeeded(result: nil), at: Self.h0)
            try run(store, "a", .succeeded(result: nil), at: Self.h0 + 2 * day)
            // 35 days after the first: still kept (the retention is 35 days to the hour).
            try run(store, "a", .succeeded(result: nil), at: Self.h0 + 35 * day)
            #expect(try store.activity(since: 0).count == 3)
            // An hour later the first bucket is past the retention, and goes as that hour's first job ends.
            try run(store, "a", .succeeded(result: nil), at: Self.h0 + 35 * day + Self.hour)
            #expect(try store.activity(since: 0).map(\.hourStart) == [Self.h0 + 2 * day, Self.h0 + 35 * day, Self.h0 + 35 * day + Self.hour])
            // Prune trims too, from a store that ended no jobs itself.
            let other = try JobStore(path: path)
            _ = try other.prune(finishedBefore: 0, now: Self.h0 + 40 * day)
            #expect(try store.activity(since: 0).map(\.hourStart) == [Self.h0 + 35 * day, Self.h0 + 35 * day + Self.hour])
        }
    }
}
