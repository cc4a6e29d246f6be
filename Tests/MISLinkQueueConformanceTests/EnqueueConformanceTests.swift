import Foundation
import MISLinkQueue
import Testing

/// Checklist 1, 2 and 10: defaults, unique keys, transactional enqueue.
@Suite struct EnqueueConformanceTests {
    @Test("an enqueued job has the defaults, a future run-at makes it scheduled, a batch answers in order", arguments: Backend.available)
    func defaults(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let result = try store.enqueue(job: NewJob(kind: "noop", payload: #"{"n":1}"#))
            #expect(result.inserted)
            #expect(result.state == .available)
            let job = try #require(try store.job(id: result.id))
            #expect(job.kind == "noop")
            #expect(job.queue == "default")
            #expect(job.payload == #"{"n":1}"#)
            #expect(job.priority == 0)
            #expect(job.attempt == 0)
            #expect(job.maxAttempts == 5)
            #expect(job.leaseOwner == nil)
            #expect(job.finishedAt == nil)
            #expect(abs(job.runAt - job.createdAt) <= 1)

            let later = try store.enqueue(job: NewJob(kind: "noop", runAt: try backendNow(store) + 3_600_000))
            #expect(later.state == .scheduled)
            #expect(try store.state(later.id) == .scheduled)

            let batch = try store.enqueue(jobs: (0..<5).map { NewJob(kind: "noop", payload: #"{"i":\#($0)}"#) })
            #expect(batch.map(\.id) == batch.map(\.id).sorted())
            #expect(Set(batch.map(\.id)).count == 5)
            #expect(try batch.map { try store.job(id: $0.id)?.payload } == (0..<5).map { #"{"i":\#($0)}"# })
        }
    }

    @Test("a unique key returns the pending holder, in a batch too, and is free again once its job ends", arguments: Backend.available)
    func unique(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let first = try store.enqueue(job: NewJob(kind: "import", uniqueKey: "import:school-1"))
            let duplicate = try store.enqueue(job: NewJob(kind: "import", uniqueKey: "import:school-1"))
            #expect(first.inserted && !duplicate.inserted)
            #expect(duplicate.id == first.id)
            // Another store (another process) sees the same holder.
            let other = try fixture.open()
            #expect(try other.enqueue(job: NewJob(kind: "import", uniqueKey: "import:school-1")).id == first.id)

            let batch = try store.enqueue(jobs: [
                NewJob(kind: "import", uniqueKey: "k2"), NewJob(kind: "import", uniqueKey: "k2"), NewJob(kind: "import"),
            ])
            #expect(batch.map(\.inserted) == [true, false, true])
            #expect(batch[1].id == batch[0].id)

            // Running still holds the key; once it succeeds, the key is free.
            let claimed = try store.claim("w1", limit: 10)
            #expect(claimed.map(\.id).contains(first.id))
            #expect(try store.enqueue(job: NewJob(kind: "import", uniqueKey: "import:school-1")).id == first.id)
            try store.complete("w1", claimed.map { Completion(jobID: $0.id, outcome: .succeeded(result: nil)) })
            let again = try store.enqueue(job: NewJob(kind: "import", uniqueKey: "import:school-1"))
            #expect(again.inserted)
            #expect(again.id != first.id)

            // A job that failed for good, or was cancelled, frees its key too.
            _ = try store.claim("w1", limit: 10)
            try store.complete("w1", [Completion(jobID: again.id, outcome: .failed(message: "bad", retryAt: nil))])
            #expect(try store.state(again.id) == .failed)
            let third = try store.enqueue(job: NewJob(kind: "import", uniqueKey: "import:school-1"))
            #expect(third.inserted)
            #expect(try store.cancelJob(id: third.id) == .cancelled)
            #expect(try store.enqueue(job: NewJob(kind: "import", uniqueKey: "import:school-1")).inserted)
        }
    }

    @Test("jobs enqueued in a transaction are seen only once it commits, and gone if it throws", arguments: Backend.available)
    func transactional(backend: Backend) throws {
        struct Abort: Error {}
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let other = try fixture.open()
            let committed = try store.inTransaction {
                let result = try store.enqueue(job: NewJob(kind: "follow-up"))
                #expect(try other.job(id: result.id) == nil)
                return result
            }
            #expect(try other.state(committed.id) == .available)

            var rolledBack: Int64?
            #expect(throws: Abort.self) {
                try store.inTransaction {
                    rolledBack = try store.enqueue(jobs: [NewJob(kind: "follow-up"), NewJob(kind: "follow-up")]).first?.id
                    throw Abort()
                }
            }
            let id = try #require(rolledBack)
            #expect(try store.job(id: id) == nil)
            #expect(try other.claim("w", limit: 10).map(\.id) == [committed.id])
        }
    }
}

@Suite struct EnqueueRefusalConformanceTests {
    @Test("an oversized payload or a concurrency limit below 1 is refused by name, and nothing is stored", arguments: Backend.available)
    func refused(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let big = String(repeating: "x", count: JobStore.defaultMaxPayloadBytes + 1)
            let payload = try #require(throws: QueueError.self) {
                try store.enqueue(jobs: [NewJob(kind: "ok"), NewJob(kind: "huge", payload: #"{"x":"\#(big)"}"#)])
            }
            #expect(payload.code == .invalidInput)
            #expect(payload.message.contains("huge payload"))
            let limit = try #require(throws: QueueError.self) {
                try store.enqueue(job: NewJob(kind: "keyed", concurrencyKey: "k", concurrencyLimit: 0))
            }
            #expect(limit.message.contains("concurrency limit"))
            #expect(try store.claim("w", limit: 10).isEmpty)
        }
    }
}

@Suite struct ConcurrentEnqueueConformanceTests {
    @Test("enqueuers on their own connections at once, with the same unique keys, make one job per key", arguments: Backend.available)
    func sameKeysAtOnce(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let keys = (0..<40).map { "nightly:school-\($0)" }
            let results = concurrently(8) { enqueuer -> [(String, EnqueueResult)] in
                let store = try fixture.open()
                // Each enqueuer walks the keys from a different place, so they collide throughout.
                let mine = Array(keys[(enqueuer * 5)...] + keys[..<(enqueuer * 5)])
                var answers: [(String, EnqueueResult)] = []
                for chunk in stride(from: 0, to: mine.count, by: 10) {
                    let jobs = mine[chunk..<min(chunk + 10, mine.count)].map { NewJob(kind: "import", uniqueKey: $0) }
                    answers += zip(jobs.compactMap(\.uniqueKey), try store.enqueue(jobs: jobs)).map { ($0, $1) }
                }
                return answers
            }
            #expect(results.errors.isEmpty, "\(results.errors)")
            let byKey = Dictionary(grouping: results.all, by: \.0)
            #expect(byKey.count == keys.count)
            for (key, answers) in byKey {
                #expect(answers.count == 8, "\(key)")
                #expect(Set(answers.map(\.1.id)).count == 1, "\(key): \(answers.map(\.1.id))")
                #expect(answers.filter(\.1.inserted).count == 1, "\(key)")
            }
            let store = try fixture.open()
            #expect(try store.claim("w", limit: 100).count == keys.count)
        }
    }
}
