import MISLinkQueue
import Testing

@Suite struct OutcomeTests {
    private func running(_ store: JobStore, maxAttempts: Int = 3) throws -> Int64 {
        let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: maxAttempts), now: t0).id
        _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
        return id
    }

    @Test("a retryable failure with attempts left waits out its backoff, then is available again")
    func retryable() throws {
        try withStore { store, _ in
            let id = try running(store)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "network down", retryAt: t0 + 5_000))], workerID: "w", now: t0 + 10)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .retryable)
            #expect(job.runAt == t0 + 5_000)
            #expect(job.lastError == "network down")
            #expect(job.errors == [JobError(attempt: 1, at: t0 + 10, message: "network down", worker: "w", startedAt: t0)])
            #expect(try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 4_999).isEmpty)
            let again = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 5_000)
            #expect(again.first?.attempt == 2)
        }
    }

    @Test("the last attempt's failure ends the job failed, with every attempt's error kept")
    func exhausted() throws {
        try withStore { store, _ in
            let id = try running(store, maxAttempts: 2)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "e1", retryAt: t0))], workerID: "w", now: t0)
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 1)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "e2", retryAt: t0 + 9))], workerID: "w", now: t0 + 2)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.finishedAt == t0 + 2)
            #expect(job.errors.map(\.attempt) == [1, 2])
            #expect(job.errors.last?.message.contains("no attempts left") == true)
        }
    }

    @Test("a permanent failure fails the job at once, attempts left or not")
    func permanent() throws {
        try withStore { store, _ in
            let id = try running(store, maxAttempts: 5)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "bad credentials", retryAt: nil))], workerID: "w", now: t0)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.attempt == 1)
            #expect(job.lastError == "bad credentials")
        }
    }

    @Test("a snooze reschedules without spending an attempt")
    func snooze() throws {
        try withStore { store, _ in
            let id = try running(store)
            try store.complete([Completion(jobID: id, outcome: .snoozed(until: t0 + 60_000))], workerID: "w", now: t0)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .scheduled)
            #expect(job.attempt == 0)
            #expect(job.runAt == t0 + 60_000)
            #expect(job.errors.isEmpty)
        }
    }

    @Test("a job handed back on shutdown is available again and not charged an attempt")
    func handedBack() throws {
        try withStore { store, _ in
            let id = try running(store)
            try store.complete([Completion(jobID: id, outcome: .handedBack)], workerID: "w", now: t0)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .available)
            #expect(job.attempt == 0)
            #expect(job.startedAt == nil)
        }
    }
}
