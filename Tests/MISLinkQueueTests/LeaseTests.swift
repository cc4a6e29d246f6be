import MISLinkQueue
import Testing

@Suite struct LeaseTests {
    @Test("a heartbeat extends the lease of every job the worker holds")
    func heartbeatExtends() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            _ = try store.heartbeat(workerID: "w", leaseMilliseconds: lease, now: t0 + 20_000)
            #expect(try store.job(id: id)?.leaseExpiresAt == t0 + 20_000 + lease)
            #expect(try store.rescueExpiredLeases(now: t0 + lease + 1) == 0)
        }
    }

    @Test("a job whose lease expired is rescued, its lost attempt recorded, and runs again")
    func expiredLeaseRescued() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "dead", limit: 1, leaseMilliseconds: lease, now: t0)
            #expect(try store.rescueExpiredLeases(now: t0 + lease - 1) == 0)
            #expect(try store.rescueExpiredLeases(now: t0 + lease + 1) == 1)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .retryable)
            #expect(job.errors.first?.message.contains("lease expired") == true)
            #expect(try store.claim(workerID: "alive", limit: 1, leaseMilliseconds: lease, now: t0 + lease + 2).first?.attempt == 2)
        }
    }

    @Test("a job that keeps killing its worker fails after its last attempt, named a poison job")
    func poisonJob() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 2), now: t0).id
            var now = t0
            for _ in 0..<2 {
                _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: now)
                now += lease + 1
                try store.rescueExpiredLeases(now: now)
            }
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.lastError?.contains("poison") == true)
            #expect(job.errors.count == 2)
        }
    }

    @Test("every job of a worker known to be dead is rescued at once, lease or not")
    func deadWorkerRescued() throws {
        try withStore { store, _ in
            let worker = WorkerRecord(
                id: "host:1:a", host: "host", pid: 1, processStart: nil, queues: nil, concurrency: 2, startedAt: t0,
                heartbeatAt: t0, leaseMilliseconds: lease)
            try store.registerWorker(worker)
            _ = try store.enqueue(batch: [NewJob(kind: "noop"), NewJob(kind: "noop"), NewJob(kind: "noop")], now: t0)
            _ = try store.claim(workerID: worker.id, limit: 2, leaseMilliseconds: lease, now: t0)
            #expect(try store.workers().first?.runningJobs == 2)
            #expect(try store.rescueJobs(ofWorker: worker, reason: "its process is gone", now: t0 + 1) == 2)
            #expect(try store.workers().isEmpty)
            #expect(try store.stats().count(state: .retryable) == 2)
        }
    }

    @Test("a cancel-requested job whose worker died ends cancelled")
    func cancelRequestedRescue() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            _ = try store.cancel(id: id, now: t0)
            try store.rescueExpiredLeases(now: t0 + lease + 1)
            #expect(try store.state(id) == .cancelled)
        }
    }
}
