import MISLinkQueue
import Testing

@Suite struct EnqueueTests {
    @Test("a job enqueued for now is available; one for later is scheduled")
    func availableOrScheduled() throws {
        try withStore { store, _ in
            let now = try store.enqueue(NewJob(kind: "noop"), now: t0)
            let later = try store.enqueue(NewJob(kind: "noop", runAt: t0 + 600_000), now: t0)
            #expect(now.state == .available)
            #expect(later.state == .scheduled)
            #expect(try store.job(id: later.id)?.runAt == t0 + 600_000)
        }
    }

    @Test("a second enqueue with a pending unique key returns the existing job and adds nothing")
    func uniqueKeyWhilePending() throws {
        try withStore { store, _ in
            let first = try store.enqueue(NewJob(kind: "nightly-import", uniqueKey: "nightly:oak"), now: t0)
            let second = try store.enqueue(NewJob(kind: "nightly-import", uniqueKey: "nightly:oak"), now: t0)
            #expect(first.inserted)
            #expect(!second.inserted)
            #expect(second.id == first.id)
            #expect(try store.stats().count(state: .available) == 1)
        }
    }

    @Test("a unique key is held while running and freed once the job finishes")
    func uniqueKeyFreedWhenFinished() throws {
        try withStore { store, _ in
            let first = try store.enqueue(NewJob(kind: "noop", uniqueKey: "k"), now: t0)
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            #expect(try !store.enqueue(NewJob(kind: "noop", uniqueKey: "k"), now: t0).inserted)
            try store.complete([Completion(jobID: first.id, outcome: .succeeded(result: nil))], workerID: "w", now: t0)
            let again = try store.enqueue(NewJob(kind: "noop", uniqueKey: "k"), now: t0)
            #expect(again.inserted)
            #expect(again.id != first.id)
        }
    }

    @Test("a batch lands in one go; with commitEvery it commits in chunks")
    func batch() throws {
        try withStore { store, _ in
            let jobs = (0..<250).map { NewJob(kind: "noop", payload: "{\"n\":\($0)}") }
            let results = try store.enqueue(batch: jobs, now: t0)
            #expect(results.count == 250)
            #expect(Set(results.map(\.id)).count == 250)
            let chunked = try store.enqueue(batch: jobs, commitEvery: 7, now: t0)
            #expect(chunked.count == 250)
            #expect(try store.stats().count(state: .available) == 500)
        }
    }

    @Test("duplicate unique keys inside one batch collapse to one job")
    func batchUnique() throws {
        try withStore { store, _ in
            let results = try store.enqueue(
                batch: [NewJob(kind: "write-back", uniqueKey: "e1"), NewJob(kind: "write-back", uniqueKey: "e1")], now: t0)
            #expect(results[0].id == results[1].id)
            #expect(results[0].inserted && !results[1].inserted)
        }
    }
}
