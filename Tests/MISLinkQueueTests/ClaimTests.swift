import MISLinkQueue
import Testing

@Suite struct ClaimTests {
    @Test("claims come highest priority first, then oldest first, and charge an attempt")
    func priorityOrder() throws {
        try withStore { store, _ in
            let low = try store.enqueue(NewJob(kind: "noop", priority: 0), now: t0).id
            let high = try store.enqueue(NewJob(kind: "write-back", priority: 100), now: t0 + 1).id
            let low2 = try store.enqueue(NewJob(kind: "noop", priority: 0), now: t0 + 2).id
            let claimed = try store.claim(workerID: "w", limit: 2, leaseMilliseconds: lease, now: t0 + 3)
            #expect(claimed.map(\.id) == [high, low])
            #expect(claimed.allSatisfy { $0.attempt == 1 })
            let job = try #require(try store.job(id: high))
            #expect(job.state == .running)
            #expect(job.leaseOwner == "w")
            #expect(job.leaseExpiresAt == t0 + 3 + lease)
            #expect(job.startedAt == t0 + 3)
            #expect(try store.claim(workerID: "w", limit: 5, leaseMilliseconds: lease, now: t0 + 3).map(\.id) == [low2])
        }
    }

    @Test("a worker given queues claims only from them")
    func namedQueues() throws {
        try withStore { store, _ in
            let imports = try store.enqueue(NewJob(kind: "nightly-import", queue: "imports"), now: t0).id
            let writeBack = try store.enqueue(NewJob(kind: "write-back", queue: "write-back", priority: 100), now: t0).id
            let other = try store.enqueue(NewJob(kind: "noop", queue: "default", priority: 5), now: t0).id
            let claimed = try store.claim(
                workerID: "w", limit: 10, queues: ["write-back", "imports"], leaseMilliseconds: lease, now: t0)
            #expect(claimed.map(\.id) == [writeBack, imports])
            #expect(try store.state(other) == .available)
        }
    }

    @Test("a scheduled job is not claimed before its time and is claimed after")
    func delayed() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", runAt: t0 + 60_000), now: t0).id
            #expect(try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 59_999).isEmpty)
            #expect(try store.nextWaitingRunAt() == t0 + 60_000)
            #expect(try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 60_000).map(\.id) == [id])
        }
    }

    @Test("a completion from a worker that no longer holds the lease is ignored")
    func staleCompletionIgnored() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "old", limit: 1, leaseMilliseconds: lease, now: t0)
            try store.rescueExpiredLeases(now: t0 + lease + 1)
            _ = try store.claim(workerID: "new", limit: 1, leaseMilliseconds: lease, now: t0 + lease + 2)
            try store.complete([Completion(jobID: id, outcome: .succeeded(result: nil))], workerID: "old", now: t0 + lease + 3)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .running)
            #expect(job.leaseOwner == "new")
            #expect(job.attempt == 2)
        }
    }

    @Test("completion and the next claim share one exchange")
    func exchange() throws {
        try withStore { store, _ in
            let a = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            let b = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            let next = try store.exchange(
                completions: [Completion(jobID: a, outcome: .succeeded(result: "{\"ok\":true}"))], workerID: "w", claim: 1,
                leaseMilliseconds: lease, now: t0 + 5)
            #expect(next.claimed.map(\.id) == [b])
            #expect(next.drained == false)
            let done = try #require(try store.job(id: a))
            #expect(done.state == .succeeded)
            #expect(done.finishedAt == t0 + 5)
            #expect(done.result == "{\"ok\":true}")
            #expect(done.leaseOwner == nil)
        }
    }
}
