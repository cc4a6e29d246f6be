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
            let id = try store.staleCompletion()
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

/// A concurrency key: at most its limit of jobs with one key run at once, whoever claims them.
@Suite struct ConcurrencyKeyTests {
    private func keyed(_ key: String?, limit: Int = 1, priority: Int = 0) -> NewJob {
        NewJob(kind: "noop", priority: priority, concurrencyKey: key, concurrencyLimit: limit)
    }

    @Test("one claim never takes two jobs of a key with limit 1; a job without a key or of another key is not held up")
    func oneClaim() throws {
        try withStore { store, _ in
            let a1 = try store.enqueue(keyed("a", priority: 9), now: t0).id
            _ = try store.enqueue(keyed("a", priority: 8), now: t0).id
            let b = try store.enqueue(keyed("b", priority: 7), now: t0).id
            let free = try store.enqueue(keyed(nil, priority: 6), now: t0).id
            let claimed = try store.claim(workerID: "w", limit: 10, leaseMilliseconds: lease, now: t0)
            #expect(Set(claimed.map(\.id)) == [a1, b, free])
        }
    }

    @Test("jobs waiting on a held key never use up a claim: a job below them is still taken")
    func blockedKeysDoNotStarve() throws {
        try withStore { store, _ in
            _ = try store.enqueue(keyed("k", priority: 9), now: t0)
            _ = try store.claim(workerID: "w1", limit: 1, leaseMilliseconds: lease, now: t0)
            _ = try store.enqueue(batch: (0..<5).map { _ in keyed("k", priority: 9) }, now: t0)
            let free = try store.enqueue(keyed(nil, priority: 0), now: t0).id
            #expect(try store.claim(workerID: "w2", limit: 1, leaseMilliseconds: lease, now: t0 + 1).map(\.id) == [free])
        }
    }

    @Test("a key held by a running job blocks its next job across workers until it finishes")
    func acrossWorkers() throws {
        try withStore { store, path in
            let first = try store.enqueue(keyed("integration:oak"), now: t0).id
            let second = try store.enqueue(keyed("integration:oak"), now: t0).id
            #expect(try store.claim(workerID: "w1", limit: 4, leaseMilliseconds: lease, now: t0).map(\.id) == [first])
            let other = try JobStore(path: path)
            #expect(try other.claim(workerID: "w2", limit: 4, leaseMilliseconds: lease, now: t0 + 1).isEmpty)
            try store.complete([Completion(jobID: first, outcome: .succeeded(result: nil))], workerID: "w1", now: t0 + 2)
            #expect(try other.claim(workerID: "w2", limit: 4, leaseMilliseconds: lease, now: t0 + 3).map(\.id) == [second])
        }
    }

    @Test("a limit of 2 lets two run at once, not three")
    func limitTwo() throws {
        try withStore { store, _ in
            _ = try store.enqueue(batch: (0..<3).map { _ in keyed("k", limit: 2) }, now: t0)
            #expect(try store.claim(workerID: "w", limit: 10, leaseMilliseconds: lease, now: t0).count == 2)
            #expect(try store.claim(workerID: "w", limit: 10, leaseMilliseconds: lease, now: t0).isEmpty)
        }
    }

    @Test("a rescued or retried job waits for its key like any other")
    func retryWaitsForKey() throws {
        try withStore { store, _ in
            let first = try store.enqueue(keyed("k"), now: t0).id
            let second = try store.enqueue(keyed("k"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            try store.complete(
                [Completion(jobID: first, outcome: .failed(message: "x", retryAt: t0 + 1))], workerID: "w", now: t0)
            #expect(try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 1).map(\.id) == [second])
            #expect(try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 2).isEmpty)
        }
    }

    @Test("an exchange says when the next job falls due, including a retry it just recorded")
    func nextDue() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.enqueue(NewJob(kind: "noop", runAt: t0 + 3_600_000), now: t0)
            let claim = try store.exchange(completions: [], workerID: "w", claim: 4, leaseMilliseconds: lease, now: t0)
            #expect(claim.drained == true)
            #expect(claim.nextDueAt == t0 + 3_600_000)
            let failed = try store.exchange(
                completions: [Completion(jobID: id, outcome: .failed(message: "x", retryAt: t0 + 10_000))], workerID: "w",
                claim: 0, leaseMilliseconds: lease, now: t0 + 1)
            #expect(failed.nextDueAt == t0 + 10_000)
            #expect(failed.drained == nil)
        }
    }
}

@Suite struct PayloadLimitTests {
    @Test("a payload over the limit is refused with its size and the limit; at the limit it is taken")
    func limit() throws {
        try withStore { store, _ in
            store.maxPayloadBytes = 1_024
            let body = String(repeating: "x", count: 1_024 - #"{"note":""}"#.utf8.count)
            _ = try store.enqueue(NewJob(kind: "noop", payload: #"{"note":"\#(body)"}"#), now: t0)
            let error = try #require(throws: QueueError.self) {
                try store.enqueue(NewJob(kind: "noop", payload: #"{"note":"\#(body)x"}"#), now: t0)
            }
            #expect(error.code == .invalidInput)
            #expect(error.message.contains("1.0 KiB"))
            #expect(error.message.contains("1025 bytes"))
            #expect(try store.stats().rows.map(\.count).reduce(0, +) == 1)
        }
    }

    @Test("the default limit is 1 MiB")
    func defaultLimit() throws {
        try withStore { store, _ in #expect(store.maxPayloadBytes == 1 << 20) }
    }
}
