import MISLinkQueue
import SQLiteDB
import Testing
import MISLinkTestSupport

@Suite struct EffectTests {
    struct Boom: Error, CustomStringConvertible { var description: String { "disk on fire" } }

    private func setUp(_ store: JobStore) throws -> Int64 {
        try store.connection.execute("CREATE TABLE IF NOT EXISTS ledger(job INTEGER)")
        let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 2), now: t0).id
        _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
        return id
    }

    private func ledger(_ store: JobStore) throws -> Int64 {
        try store.connection.scalarInt("SELECT count(*) FROM ledger") ?? -1
    }

    @Test("a success's bookkeeping commits with it")
    func effectCommits() throws {
        try withStore { store, _ in
            let id = try setUp(store)
            let effect: CommitEffect = { db in try (db as! Connection).run("INSERT INTO ledger VALUES (?)", [id]) }
            try store.complete([Completion(jobID: id, outcome: .succeeded(result: nil), effect: effect)], workerID: "w", now: t0)
            #expect(try store.state(id) == .succeeded)
            #expect(try ledger(store) == 1)
        }
    }

    @Test("bookkeeping that throws is rolled back and the run becomes a retryable failure; the batch's other jobs still complete")
    func effectFails() throws {
        try withStore { store, _ in
            let id = try setUp(store)
            let other = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            let effect: CommitEffect = { db in
                try (db as! Connection).run("INSERT INTO ledger VALUES (?)", [id])
                throw Boom()
            }
            try store.complete(
                [
                    Completion(jobID: id, outcome: .succeeded(result: nil), effect: effect),
                    Completion(jobID: other, outcome: .succeeded(result: nil)),
                ], workerID: "w", now: t0)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .retryable)
            #expect(job.lastError == "the job's own bookkeeping could not be saved: disk on fire")
            #expect(try ledger(store) == 0)
            #expect(try store.state(other) == .succeeded)
        }
    }

    @Test("a completion from a worker that lost the lease runs no bookkeeping")
    func staleNoEffect() throws {
        try withStore { store, _ in
            let id = try setUp(store)
            try store.rescueExpiredLeases(now: t0 + lease + 1)
            let effect: CommitEffect = { db in try (db as! Connection).run("INSERT INTO ledger VALUES (?)", [id]) }
            try store.complete([Completion(jobID: id, outcome: .succeeded(result: nil), effect: effect)], workerID: "w", now: t0 + lease + 2)
            #expect(try ledger(store) == 0)
        }
    }

    /// Records every final failure the store reports, in the ledger, in the failing transaction.
    private func recordFailures(_ store: JobStore) -> Recorded<FinalFailure> {
        let seen = Recorded<FinalFailure>()
        store.finalFailureHook = { failure in
            { db in
                seen.append(failure)
                try (db as! Connection).run("INSERT INTO ledger VALUES (?)", [failure.jobID])
            }
        }
        return seen
    }

    @Test("the final-failure hook runs only when the job ends failed, with the handler's cause")
    func failureHookOnLastAttempt() throws {
        try withStore { store, _ in
            let id = try setUp(store)
            let seen = recordFailures(store)
            let failed = JobOutcome.failed(message: "x", retryAt: t0, cause: .error(code: "refused"))
            try store.complete([Completion(jobID: id, outcome: failed)], workerID: "w", now: t0)
            #expect(try store.state(id) == .retryable)
            #expect(try ledger(store) == 0)
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 1)
            try store.complete([Completion(jobID: id, outcome: failed)], workerID: "w", now: t0 + 2)
            #expect(try store.state(id) == .failed)
            #expect(try ledger(store) == 1)
            #expect(seen.all.map(\.cause) == [.error(code: "refused")])
            #expect(seen.all.first?.kind == "noop")
        }
    }

    @Test("a rescue that spends the last attempt (a possible poison job) runs the final-failure hook, cause abandoned")
    func failureHookOnRescue() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", integration: "oak", maxAttempts: 1), now: t0).id
            try store.connection.execute("CREATE TABLE IF NOT EXISTS ledger(job INTEGER)")
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            let seen = recordFailures(store)
            #expect(try store.rescueExpiredLeases(now: t0 + lease + 1) == 1)
            #expect(try store.state(id) == .failed)
            #expect(try ledger(store) == 1)
            let failure = try #require(seen.all.first)
            #expect(failure.cause == .abandoned)
            #expect(failure.integration == "oak")
            #expect(failure.message.contains("possible poison job"))
        }
    }

    @Test("a rescue of a dead worker's job on its last attempt runs the hook too")
    func failureHookOnDeadWorker() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 1), now: t0).id
            try store.connection.execute("CREATE TABLE IF NOT EXISTS ledger(job INTEGER)")
            let dead = WorkerRecord(
                id: "dead", host: "h", pid: 1, processStart: nil, queues: nil, concurrency: 1, startedAt: t0, heartbeatAt: t0,
                leaseMilliseconds: lease)
            try store.registerWorker(dead)
            _ = try store.claim(workerID: "dead", limit: 1, leaseMilliseconds: lease, now: t0)
            let seen = recordFailures(store)
            #expect(try store.rescueJobs(ofWorker: dead, reason: "gone", now: t0 + 1) == 1)
            #expect(try store.state(id) == .failed)
            #expect(seen.all.map(\.cause) == [.abandoned])
        }
    }

    @Test("bookkeeping that throws on the last attempt ends the job failed and runs the hook, cause bookkeeping")
    func failureHookOnBookkeeping() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 1), now: t0).id
            try store.connection.execute("CREATE TABLE IF NOT EXISTS ledger(job INTEGER)")
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            let seen = recordFailures(store)
            let effect: CommitEffect = { _ in throw Boom() }
            try store.complete([Completion(jobID: id, outcome: .succeeded(result: nil), effect: effect)], workerID: "w", now: t0)
            #expect(try store.state(id) == .failed)
            #expect(seen.all.map(\.cause) == [.bookkeeping])
        }
    }

    @Test("a hook that throws leaves the job failed and says so in its history")
    func failingHook() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 1), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            store.finalFailureHook = { _ in { _ in throw Boom() } }
            try store.complete([Completion(jobID: id, outcome: .failed(message: "x", retryAt: nil))], workerID: "w", now: t0)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.errors.contains { $0.message.contains("disk on fire") })
        }
    }
}
