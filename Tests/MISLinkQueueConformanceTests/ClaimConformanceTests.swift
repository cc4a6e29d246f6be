import Foundation
import MISLinkQueue
import Testing

/// Checklist 3, 4, 7 and 14: claims, fenced completions, promotion, the back end's clock.
@Suite struct ClaimConformanceTests {
    @Test("a claim takes up to its limit from its own queues, highest priority first, then run-at, then id", arguments: Backend.available)
    func order(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let now = try backendNow(store)
            let low = try store.enqueue(job: NewJob(kind: "k", priority: 0, runAt: now - 3_000)).id
            let highLate = try store.enqueue(job: NewJob(kind: "k", priority: 5, runAt: now - 1_000)).id
            let highEarly = try store.enqueue(job: NewJob(kind: "k", priority: 5, runAt: now - 2_000)).id
            let highEarlyToo = try store.enqueue(job: NewJob(kind: "k", priority: 5, runAt: now - 2_000)).id
            let elsewhere = try store.enqueue(job: NewJob(kind: "k", queue: "other", priority: 9)).id

            let first = try store.claim("w", limit: 3, queues: ["default"])
            #expect(first.map(\.id) == [highEarly, highEarlyToo, highLate])
            #expect(first.allSatisfy { $0.attempt == 1 })
            #expect(try store.claim("w", limit: 3, queues: ["default"]).map(\.id) == [low])
            #expect(try store.claim("w", limit: 3, queues: ["default"]).isEmpty)
            #expect(try store.claim("w", limit: 3).map(\.id) == [elsewhere])
        }
    }

    @Test("a claim skips excluded and paused queues, whose jobs stay available until resumed", arguments: Backend.available)
    func pausedAndExcluded(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let imports = try store.enqueue(job: NewJob(kind: "k", queue: "imports")).id
            let mail = try store.enqueue(job: NewJob(kind: "k", queue: "mail")).id
            let other = try store.enqueue(job: NewJob(kind: "k", queue: "other")).id
            #expect(try store.pauseQueue("imports"))
            #expect(try !store.pauseQueue("imports"))
            let worker = try fixture.open()
            let turn = try worker.exchange(
                ExchangeRequest(workerID: "w", limit: 10, excludingQueues: ["mail"], leaseMilliseconds: 60_000))
            #expect(turn.claimed.map(\.id) == [other])
            #expect(try worker.claim("w", limit: 10, queues: ["imports"]).isEmpty)
            #expect(try store.state(imports) == .available)
            #expect(try store.resumeQueue("imports"))
            #expect(try !store.resumeQueue("imports"))
            #expect(Set(try worker.claim("w", limit: 10).map(\.id)) == [imports, mail])
            #expect(throws: QueueError.self) { try store.pauseQueue("") }
        }
    }

    @Test("a claim sets the attempt and a lease measured on the back end's clock", arguments: Backend.available)
    func lease(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let id = try store.enqueue(job: NewJob(kind: "k")).id
            let before = try backendNow(store)
            _ = try store.claim("worker-a", limit: 1, lease: 45_000)
            let after = try backendNow(store)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .running)
            #expect(job.attempt == 1)
            #expect(job.leaseOwner == "worker-a")
            let started = try #require(job.startedAt)
            #expect((before...after).contains(started))
            #expect(job.leaseExpiresAt == started + 45_000)
        }
    }

    @Test("claimers on their own connections at once never share a job", arguments: Backend.available)
    func concurrentClaimers(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let ids = try store.enqueue(jobs: (0..<200).map { _ in NewJob(kind: "k") }).map(\.id)
            let claims = claimConcurrently(fixture, workers: 4, limit: 7, stopAfterEmpty: 1)
            #expect(claims.errors.isEmpty, "\(claims.errors)")
            #expect(claims.all.count == ids.count)
            #expect(Set(claims.all) == Set(ids))
        }
    }

    @Test("a completion applies only while its worker holds the lease; an unknown id is ignored", arguments: Backend.available)
    func fencedCompletion(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let id = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("owner", limit: 1)
            try store.complete("stale-worker", [Completion(jobID: id, outcome: .succeeded(result: nil))])
            #expect(try store.state(id) == .running)
            try store.complete("owner", [Completion(jobID: id, outcome: .succeeded(result: #"{"ok":true}"#)), Completion(jobID: 999_999, outcome: .succeeded(result: nil))])
            let job = try #require(try store.job(id: id))
            #expect(job.state == .succeeded)
            #expect(job.result == #"{"ok":true}"#)
            #expect(job.leaseOwner == nil)
            #expect(job.finishedAt != nil)
            // A late report from the same worker changes nothing now.
            try store.complete("owner", [Completion(jobID: id, outcome: .failed(message: "late", retryAt: nil))])
            #expect(try store.state(id) == .succeeded)
        }
    }

    @Test("a failed attempt is retried with its error kept, fails when attempts are spent; a snooze keeps the attempt", arguments: Backend.available)
    func outcomes(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let retried = try store.enqueue(job: NewJob(kind: "k", maxAttempts: 2)).id
            let snoozed = try store.enqueue(job: NewJob(kind: "k")).id
            let handed = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("w", limit: 3)
            let now = try backendNow(store)
            try store.complete("w", [
                Completion(jobID: retried, outcome: .failed(message: "remote said 503", retryAt: now)),
                Completion(jobID: snoozed, outcome: .snoozed(until: now + 3_600_000)),
                Completion(jobID: handed, outcome: .handedBack),
            ])
            let retry = try #require(try store.job(id: retried))
            #expect(retry.state == .retryable)
            #expect(retry.lastError == "remote said 503")
            #expect(retry.errors.map(\.message) == ["remote said 503"])
            #expect(retry.errors.first?.worker == "w")
            let snooze = try #require(try store.job(id: snoozed))
            #expect(snooze.state == .scheduled)
            #expect(snooze.attempt == 0)
            #expect(try store.job(id: handed)?.state == .available)
            #expect(try store.job(id: handed)?.attempt == 0)

            // Due at once: the next claim promotes and takes it again, as attempt 2 of 2.
            let again = try store.claim("w", limit: 5).filter { $0.id == retried }
            #expect(again.first?.attempt == 2)
            try store.complete("w", [Completion(jobID: retried, outcome: .failed(message: "still 503", retryAt: now))])
            let failed = try #require(try store.job(id: retried))
            #expect(failed.state == .failed)
            #expect(failed.errors.count == 2)
            #expect(failed.lastError?.contains("no attempts left") == true)

            let permanent = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("w", limit: 5)
            try store.complete("w", [Completion(jobID: permanent, outcome: .failed(message: "bad payload", retryAt: nil))])
            #expect(try store.state(permanent) == .failed)
        }
    }

    @Test("scheduled jobs are promoted when due by the back end's clock, not before", arguments: Backend.available)
    func promotion(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let now = try backendNow(store)
            let farOff = try store.enqueue(job: NewJob(kind: "k", runAt: now + 3_600_000)).id
            let soon = try store.enqueue(job: NewJob(kind: "k", runAt: now + 300)).id
            var claimed: [Int64] = []
            try eventually("the soon job is claimable") {
                claimed += try store.claim("w", limit: 5).map(\.id)
                return !claimed.isEmpty
            }
            #expect(claimed == [soon])
            #expect(try store.state(farOff) == .scheduled)
            let exchange = try store.exchange(ExchangeRequest(workerID: "w", limit: 5, leaseMilliseconds: 60_000))
            #expect(exchange.claimed.isEmpty)
            #expect(exchange.drained == true)
            #expect(exchange.nextDueAt == now + 3_600_000)
        }
    }
}
