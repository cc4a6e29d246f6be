import MISLinkQueue
import Testing

/// Checklist 5 and 6: heartbeats and rescue.
@Suite struct LeaseConformanceTests {
    @Test("a heartbeat extends only its own worker's leases, and an expired lease is rescued for a retry", arguments: Backend.available)
    func heartbeatAndRescue(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let kept = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("alive", limit: 1, lease: 1)
            let lost = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("dead", limit: 1, lease: 1)
            // The live worker beats; the dead one does not.
            _ = try store.renewLeases(workerID: "alive", leaseMilliseconds: 60_000)
            #expect(try store.job(id: kept)?.leaseExpiresAt ?? 0 > (try backendNow(store)) + 30_000)

            var rescued = 0
            try eventually("the dead worker's lease is rescued") {
                rescued += try store.rescueExpired()
                return rescued > 0
            }
            #expect(rescued == 1)
            #expect(try store.state(kept) == .running)
            let job = try #require(try store.job(id: lost))
            #expect(job.state == .retryable)
            #expect(job.leaseOwner == nil)
            #expect(job.lastError?.contains("lease expired") == true)
            // Its worker's late report is fenced off.
            try store.complete("dead", [Completion(jobID: lost, outcome: .succeeded(result: nil))])
            #expect(try store.state(lost) == .retryable)
            #expect(try store.rescueExpired() == 0)
        }
    }

    @Test("a job whose every attempt was abandoned ends failed, named a possible poison job", arguments: Backend.available)
    func poison(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let id = try store.enqueue(job: NewJob(kind: "k", maxAttempts: 1)).id
            _ = try store.claim("w", limit: 1, lease: 1)
            try eventually("the lease is rescued") { try store.rescueExpired() > 0 }
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.lastError?.contains("poison") == true)
        }
    }
}
