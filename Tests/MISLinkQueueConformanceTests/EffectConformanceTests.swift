import MISLinkQueue
import Synchronization
import Testing

/// Bookkeeping in the completion's transaction, and the final-failure hook, on every back end: the
/// effect gets the back end's own transaction handle, and its writes commit or vanish with the job's.
@Suite struct EffectConformanceTests {
    private let ledgerInsert = (sqlite: "INSERT INTO ledger VALUES (?)", postgres: "INSERT INTO ledger VALUES ($1)")

    private func withLedger(_ backend: Backend, _ body: (QueueFixture, any QueueBackend) throws -> Void) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            _ = try fixture.scalar("CREATE TABLE ledger (id bigint NOT NULL)")
            try body(fixture, store)
        }
    }

    private func ledger(_ fixture: QueueFixture) throws -> Int64 { try fixture.scalar("SELECT count(*) FROM ledger") ?? 0 }

    @Test("a success's effect commits with it, on the back end's own transaction; a stale worker's effect never runs", arguments: Backend.available)
    func effectCommitsWithSuccess(backend: Backend) throws {
        try withLedger(backend) { fixture, store in
            let id = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("w", limit: 1)
            let insert = ledgerInsert
            let effect: CommitEffect = { transaction in try run(insert, id: id, on: transaction) }
            try store.complete("w", [Completion(jobID: id, outcome: .succeeded(result: nil), effect: effect)])
            #expect(try store.state(id) == .succeeded)
            #expect(try ledger(fixture) == 1)
            // A worker that no longer holds the job reports again: neither the job nor the ledger changes.
            try store.complete("other", [Completion(jobID: id, outcome: .succeeded(result: nil), effect: effect)])
            #expect(try ledger(fixture) == 1)
        }
    }

    @Test("an effect that throws is rolled back and its run becomes a retryable failure; the batch's other jobs still complete", arguments: Backend.available)
    func failingEffect(backend: Backend) throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        try withLedger(backend) { fixture, store in
            let id = try store.enqueue(job: NewJob(kind: "k", maxAttempts: 3)).id
            let other = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("w", limit: 2)
            let insert = ledgerInsert
            let effect: CommitEffect = { transaction in
                try run(insert, id: id, on: transaction)
                throw Boom()
            }
            try store.complete(
                "w",
                [Completion(jobID: id, outcome: .succeeded(result: nil), effect: effect), Completion(jobID: other, outcome: .succeeded(result: nil))])
            let job = try #require(try store.job(id: id))
            #expect(job.state == .retryable)
            #expect(job.lastError == "the job's own bookkeeping could not be saved: disk on fire")
            #expect(try ledger(fixture) == 0)
            #expect(try store.state(other) == .succeeded)
        }
    }

    @Test("the final-failure hook runs in the failing transaction, for a last failed attempt and for an abandoned run", arguments: Backend.available)
    func finalFailureHook(backend: Backend) throws {
        try withLedger(backend) { fixture, store in
            let seen = Mutex<[FinalFailure]>([])
            let insert = ledgerInsert
            store.finalFailureHook = { failure in
                { transaction in
                    seen.withLock { $0.append(failure) }
                    try run(insert, id: failure.jobID, on: transaction)
                }
            }
            let retried = try store.enqueue(job: NewJob(kind: "k", maxAttempts: 2)).id
            _ = try store.claim("w", limit: 1)
            try store.complete("w", [Completion(jobID: retried, outcome: .failed(message: "no", retryAt: JobStore.now() + 3_600_000, cause: .error(code: "x")))])
            #expect(try store.state(retried) == .retryable)
            #expect(try ledger(fixture) == 0, "a retry is no final failure")

            let permanent = try store.enqueue(job: NewJob(kind: "k", integration: "oak")).id
            _ = try store.claim("w", limit: 1, queues: ["default"])
            let claimed = try store.job(id: permanent)
            #expect(claimed?.state == .running)
            try store.complete("w", [Completion(jobID: permanent, outcome: .failed(message: "bad", retryAt: nil, cause: .error(code: "refused")))])
            #expect(try store.state(permanent) == .failed)
            #expect(try ledger(fixture) == 1)

            let abandoned = try store.enqueue(job: NewJob(kind: "k", maxAttempts: 1)).id
            _ = try store.claim("dead", limit: 1, lease: 1)
            try eventually("the abandoned run is rescued") {
                _ = try store.rescueExpired()
                return try store.state(abandoned) == .failed
            }
            #expect(try ledger(fixture) == 2)
            let failures = seen.withLock { $0 }
            #expect(failures.map(\.jobID) == [permanent, abandoned])
            #expect(failures.first?.cause == .error(code: "refused"))
            #expect(failures.first?.integration == "oak")
            #expect(failures.last?.cause == .abandoned)
        }
    }

    @Test("a final-failure hook that throws leaves the job failed and says so in its history", arguments: Backend.available)
    func failingHook(backend: Backend) throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "store gone" } }
        try withLedger(backend) { _, store in
            store.finalFailureHook = { _ in { _ in throw Broken() } }
            let id = try store.enqueue(job: NewJob(kind: "k", maxAttempts: 1)).id
            _ = try store.claim("w", limit: 1)
            try store.complete("w", [Completion(jobID: id, outcome: .failed(message: "bad", retryAt: nil))])
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.errors.last?.message == "the bookkeeping for this failure could not be saved: store gone")
        }
    }
}
