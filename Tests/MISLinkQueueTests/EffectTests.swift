import MISLinkQueue
import SQLiteDB
import Testing

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
            let effect: CommitEffect = { db in try db.run("INSERT INTO ledger VALUES (?)", [id]) }
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
                try db.run("INSERT INTO ledger VALUES (?)", [id])
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
            let effect: CommitEffect = { db in try db.run("INSERT INTO ledger VALUES (?)", [id]) }
            try store.complete([Completion(jobID: id, outcome: .succeeded(result: nil), effect: effect)], workerID: "w", now: t0 + lease + 2)
            #expect(try ledger(store) == 0)
        }
    }

    @Test("failure bookkeeping runs only when the job ends failed")
    func failureEffect() throws {
        try withStore { store, _ in
            let id = try setUp(store)
            let effect: CommitEffect = { db in try db.run("INSERT INTO ledger VALUES (?)", [id]) }
            try store.complete([Completion(jobID: id, outcome: .failed(message: "x", retryAt: t0), effect: effect)], workerID: "w", now: t0)
            #expect(try store.state(id) == .retryable)
            #expect(try ledger(store) == 0)
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 1)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "x", retryAt: t0), effect: effect)], workerID: "w", now: t0 + 2)
            #expect(try store.state(id) == .failed)
            #expect(try ledger(store) == 1)
        }
    }
}
