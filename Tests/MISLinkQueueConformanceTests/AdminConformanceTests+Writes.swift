import MISLinkQueue
import Testing

/// Checklist 8, the admin's writes: retry, discard and prune, the same on both back ends.
@Suite struct AdminWriteConformanceTests {
    @Test("retry puts a failed or a cancelled job back to available with more attempts, its history kept", arguments: Backend.available)
    func retry(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let failed = try store.failedJob(messages: ["first", "second"])
            let cancelled = try store.cancelledJob()
            try store.retryJob(id: failed, extraAttempts: 3, now: try backendNow(store))
            let retried = try #require(try store.job(id: failed))
            #expect(retried.state == .available)
            #expect(retried.attempt == 2)
            #expect(retried.maxAttempts == 5, "attempt + extra attempts")
            #expect(retried.finishedAt == nil)
            #expect(retried.leaseOwner == nil)
            #expect(retried.errors.map { $0.message.prefix(5) } == ["first", "secon"])
            #expect(retried.runAt <= (try backendNow(store)), "due at once, on the back end's clock")

            try store.retryJob(id: cancelled, extraAttempts: 0, now: try backendNow(store))
            let back = try #require(try store.job(id: cancelled))
            #expect(back.state == .available)
            #expect(back.maxAttempts == back.attempt + 1, "at least one more attempt")
            #expect(Set(try store.claim("w", limit: 5).map(\.id)) == [failed, cancelled], "both can be claimed again")
        }
    }

    @Test("retry refuses a running, a succeeded and a missing job, and one whose unique key a pending job holds", arguments: Backend.available)
    func retryRefusals(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let running = try store.runningJob()
            let succeeded = try store.succeededJob()
            for (id, state) in [(running, "running"), (succeeded, "succeeded")] {
                let refusal = try #require(throws: QueueError.self) { try store.retryJob(id: id, extraAttempts: 1, now: try backendNow(store)) }
                #expect(refusal.code == .invalidState)
                #expect(refusal.message == "job \(id) is \(state); only failed or cancelled jobs can be retried")
            }
            #expect(try store.state(running) == .running)
            #expect(try store.state(succeeded) == .succeeded)
            let missing = try #require(throws: QueueError.self) { try store.retryJob(id: 987_654, extraAttempts: 1, now: 0) }
            #expect(missing.code == .notFound)

            let failed = try store.failedJob(uniqueKey: "nightly:oak")
            let holder = try store.availableJob(uniqueKey: "nightly:oak")
            let conflict = try #require(throws: QueueError.self) { try store.retryJob(id: failed, extraAttempts: 1, now: try backendNow(store)) }
            #expect(conflict.code == .uniqueConflict)
            #expect(conflict.message == "job \(failed) cannot be retried: job \(holder) with the same unique key is already pending")
            #expect(try store.state(failed) == .failed)
            _ = try store.cancelJob(id: holder)
            try store.retryJob(id: failed, extraAttempts: 1, now: try backendNow(store))
            #expect(try store.state(failed) == .available, "allowed once the holder is no longer pending")
        }
    }

    @Test("a retry inside the caller's transaction commits with it, and is rolled back with it", arguments: Backend.available)
    func retryJoinsTransaction(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let failed = try store.failedJob()
            struct Stop: Error {}
            var seenInside: JobState?
            do {
                try store.inTransaction {
                    try store.retryJob(id: failed, extraAttempts: 1, now: try backendNow(store))
                    seenInside = try store.state(failed)
                    throw Stop()
                }
                Issue.record("the transaction should have thrown")
            } catch is Stop {}
            #expect(seenInside == .available, "seen inside the transaction")
            #expect(try store.state(failed) == .failed, "rolled back with the caller's transaction")
            #expect(try fixture.open().state(failed) == .failed)
            try store.inTransaction { try store.retryJob(id: failed, extraAttempts: 1, now: try backendNow(store)) }
            #expect(try fixture.open().state(failed) == .available)
        }
    }

    @Test("discard deletes failed and cancelled jobs with their histories, and refuses the rest with why", arguments: Backend.available)
    func discard(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let failed = try store.failedJob(messages: ["a", "b"])
            let cancelled = try store.cancelledJob()
            let running = try store.runningJob()
            let waiting = try store.scheduledJob()
            #expect(try fixture.errorRows([failed, cancelled]) == 3)

            let refusals = try store.discardJobs(ids: [failed, running, 987_654, cancelled, waiting])
            #expect(refusals.map(\.id) == [running, 987_654, waiting])
            #expect(refusals.map(\.error.code) == [.invalidState, .notFound, .invalidState])
            #expect(refusals.map(\.error.message) == [
                "job \(running) is running; only failed or cancelled jobs can be discarded",
                "job 987654 does not exist",
                "job \(waiting) is scheduled; only failed or cancelled jobs can be discarded",
            ])
            #expect(try store.job(id: failed) == nil)
            #expect(try store.job(id: cancelled) == nil)
            #expect(try fixture.errorRows([failed, cancelled]) == 0, "their error histories go with them")
            #expect(try store.state(running) == .running)
            #expect(try store.state(waiting) == .scheduled)
            #expect(try store.discardJobs(ids: []).isEmpty)
        }
    }

    @Test("prune deletes only finished jobs that finished before the cutoff, with their histories", arguments: Backend.available)
    func prune(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let hour: Int64 = 3_600_000
            let oldSucceeded = try store.succeededJob()
            let oldFailed = try store.failedJob()
            let oldCancelled = try store.cancelledJob()
            let recent = try store.succeededJob()
            let retried = try store.failedJob()
            let pending = try store.availableJob()
            let running = try store.runningJob()
            for id in [oldSucceeded, oldFailed, oldCancelled, retried] { try fixture.age(id, by: 2 * hour) }
            try store.retryJob(id: retried, extraAttempts: 1, now: try backendNow(store))

            #expect(try store.pruneJobs(olderThan: hour, now: try backendNow(store)) == 3)
            for id in [oldSucceeded, oldFailed, oldCancelled] { #expect(try store.job(id: id) == nil) }
            #expect(try fixture.errorRows([oldFailed, oldCancelled]) == 0)
            #expect(try store.state(recent) == .succeeded)
            #expect(try store.state(retried) == .available)
            #expect(try fixture.errorRows([retried]) == 1, "a retried job keeps its history")
            #expect(try store.state(pending) == .available)
            #expect(try store.state(running) == .running)
            #expect(try store.pruneJobs(olderThan: hour, now: try backendNow(store)) == 0)
        }
    }
}
