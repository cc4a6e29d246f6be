import MISLinkQueue
import SQLiteDB
import Testing

@Suite struct AdminTests {
    @Test("cancelling a job that has not started cancels it at once")
    func cancelWaiting() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", runAt: t0 + 1000), now: t0).id
            #expect(try store.cancel(id: id, now: t0) == .cancelled)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .cancelled)
            #expect(job.lastError == "cancelled by an admin")
            #expect(try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 2000).isEmpty)
        }
    }

    @Test("cancelling a running job asks its worker; the heartbeat passes the request on")
    func cancelRunning() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            #expect(try store.cancel(id: id, now: t0) == .requested)
            #expect(try store.heartbeat(workerID: "w", leaseMilliseconds: lease, now: t0 + 10).cancelRequested == [id])
            try store.complete([Completion(jobID: id, outcome: .cancelled(message: "cancelled while running"))], workerID: "w", now: t0 + 20)
            #expect(try store.state(id) == .cancelled)
        }
    }

    @Test("a running job with a cancel request that then fails ends cancelled, not retryable")
    func cancelThenFail() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            _ = try store.cancel(id: id, now: t0)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "timed out", retryAt: t0 + 1))], workerID: "w", now: t0 + 1)
            #expect(try store.state(id) == .cancelled)
        }
    }

    @Test("a finished job cannot be cancelled, and a missing one says so")
    func cancelFinished() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.cancel(id: id, now: t0)
            let error = try #require(throws: QueueError.self) { try store.cancel(id: id, now: t0) }
            #expect(error.code == .invalidState)
            #expect(try #require(throws: QueueError.self) { try store.cancel(id: 999, now: t0) }.code == .notFound)
        }
    }

    @Test("retrying a failed job makes it available with fresh attempts and keeps its history")
    func retryFailed() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 1), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "boom", retryAt: nil))], workerID: "w", now: t0)
            try store.retry(id: id, extraAttempts: 3, now: t0 + 5)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .available)
            #expect(job.maxAttempts == 4)
            #expect(job.finishedAt == nil)
            #expect(job.errors.count == 1)
            #expect(try #require(throws: QueueError.self) { try store.retry(id: id, extraAttempts: 1) }.code == .invalidState)
        }
    }

    @Test("a failed job is not retried while another job holds its unique key")
    func retryUniqueConflict() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 1, uniqueKey: "k"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "boom", retryAt: nil))], workerID: "w", now: t0)
            _ = try store.enqueue(NewJob(kind: "noop", uniqueKey: "k"), now: t0)
            #expect(try #require(throws: QueueError.self) { try store.retry(id: id, extraAttempts: 1) }.code == .uniqueConflict)
            #expect(try store.retryAllFailed(extraAttempts: { _ in 1 }) == 0)
        }
    }

    @Test("prune removes finished jobs older than the cutoff, with their errors, and nothing else")
    func prune() throws {
        try withStore { store, _ in
            let old = try store.enqueue(NewJob(kind: "noop", maxAttempts: 1), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            try store.complete([Completion(jobID: old, outcome: .failed(message: "x", retryAt: nil))], workerID: "w", now: t0)
            let recent = try store.enqueue(NewJob(kind: "noop"), now: t0 + 100).id
            _ = try store.cancel(id: recent, now: t0 + 100)
            let pending = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            #expect(try store.prune(finishedBefore: t0 + 50, chunk: 1) == 1)
            #expect(try store.job(id: old) == nil)
            #expect(try store.job(id: recent) != nil)
            #expect(try store.job(id: pending) != nil)
            #expect(try store.connection.scalarInt("SELECT count(*) FROM job_errors WHERE job_id = ?", [old]) == 0)
        }
    }

    @Test("stats count by kind and state and know the oldest available job")
    func stats() throws {
        try withStore { store, _ in
            _ = try store.enqueue(NewJob(kind: "noop"), now: t0)
            _ = try store.enqueue(NewJob(kind: "noop"), now: t0 + 10)
            _ = try store.enqueue(NewJob(kind: "write-back", runAt: t0 + 99_999), now: t0)
            let stats = try store.stats()
            #expect(stats.rows.contains(.init(kind: "noop", state: .available, count: 2)))
            #expect(stats.rows.contains(.init(kind: "write-back", state: .scheduled, count: 1)))
            #expect(stats.oldestAvailableRunAt == t0)
        }
    }

    @Test("list filters by state, kind and integration, newest first")
    func list() throws {
        try withStore { store, _ in
            let a = try store.enqueue(NewJob(kind: "noop", integration: "oak"), now: t0).id
            _ = try store.enqueue(NewJob(kind: "noop", integration: "elm"), now: t0)
            let c = try store.enqueue(NewJob(kind: "noop", integration: "oak"), now: t0).id
            _ = try store.enqueue(NewJob(kind: "rematch", integration: "oak"), now: t0)
            #expect(try store.jobs(matching: JobFilter(kind: "noop", integration: "oak")).map(\.id) == [c, a])
            #expect(try store.jobs(matching: JobFilter(states: [.failed])).isEmpty)
            #expect(try store.jobs(matching: JobFilter(limit: 2)).count == 2)
        }
    }
}
