import MISLinkQueue
import SQLiteDB
import Testing

@Suite struct BulkTests {
    /// Runs a job to `failed` with `message` as its one error.
    @discardableResult
    private func failed(_ store: JobStore, kind: String = "noop", queue: String = "default", payload: String = "{}", message: String)
        throws -> Int64
    {
        let id = try store.enqueue(NewJob(kind: kind, queue: queue, payload: payload, maxAttempts: 1), now: t0).id
        _ = try store.claim(workerID: "w", limit: 10, leaseMilliseconds: lease, now: t0)
        try store.complete([Completion(jobID: id, outcome: .failed(message: message, retryAt: nil))], workerID: "w", now: t0 + 1)
        return id
    }

    @Test("a search finds text in the payload, the last error and an older attempt's error, ignoring ASCII case")
    func searchPlaces() throws {
        try withStore { store, _ in
            let inPayload = try store.enqueue(NewJob(kind: "noop", payload: #"{"pupil": "Ada LOVELACE"}"#), now: t0).id
            let inLastError = try failed(store, message: "Lovelace's record is locked")
            // Attempt 1 fails with the word, attempt 2 with something else: only the history has it.
            let older = try store.enqueue(NewJob(kind: "noop", maxAttempts: 2), now: t0).id
            _ = try store.claim(workerID: "w", limit: 10, leaseMilliseconds: lease, now: t0)
            try store.complete([Completion(jobID: older, outcome: .failed(message: "lovelace timeout", retryAt: t0))], workerID: "w", now: t0 + 1)
            _ = try store.claim(workerID: "w", limit: 10, leaseMilliseconds: lease, now: t0 + 2)
            try store.complete([Completion(jobID: older, outcome: .failed(message: "other", retryAt: t0))], workerID: "w", now: t0 + 3)
            try store.enqueue(NewJob(kind: "noop", payload: #"{"pupil": "Grace Hopper"}"#), now: t0)

            let found = try store.jobs(matching: JobFilter(search: "lovelace")).map(\.id)
            #expect(found == [older, inLastError, inPayload])
            #expect(try store.count(matching: JobFilter(search: "LOVELACE")).count == 3)
            #expect(try store.jobs(matching: JobFilter(states: [.failed], search: "lovelace")).map(\.id) == [older, inLastError])
            #expect(try store.jobs(matching: JobFilter(search: "")).count == 4, "an empty search is no search")
        }
    }

    @Test("% and _ in a search match only themselves")
    func searchEscapes() throws {
        try withStore { store, _ in
            let percent = try store.enqueue(NewJob(kind: "noop", payload: #"{"note": "100% done"}"#), now: t0).id
            let underscore = try store.enqueue(NewJob(kind: "noop", payload: #"{"note": "a_b"}"#), now: t0).id
            let backslash = try store.enqueue(NewJob(kind: "noop", payload: #"{"note": "c:\\d"}"#), now: t0).id
            try store.enqueue(NewJob(kind: "noop", payload: #"{"note": "100 x done axb"}"#), now: t0)
            #expect(try store.jobs(matching: JobFilter(search: "0% d")).map(\.id) == [percent])
            #expect(try store.jobs(matching: JobFilter(search: "a_b")).map(\.id) == [underscore])
            #expect(try store.jobs(matching: JobFilter(search: #":\\d"#)).map(\.id) == [backslash])
            #expect(try store.jobs(matching: JobFilter(search: "%")).map(\.id) == [percent])
        }
    }

    @Test("keyset pages walk newest first, each answering the next page's before, the last none")
    func keysetPages() throws {
        try withStore { store, _ in
            let ids = try (0..<7).map { _ in try store.enqueue(NewJob(kind: "noop"), now: t0).id }
            try store.enqueue(NewJob(kind: "other", queue: "q2"), now: t0)
            var filter = JobFilter(kind: "noop", queue: "default", limit: 3)
            var pages: [[Int64]] = []
            while true {
                let page = try store.jobPage(matching: filter)
                pages.append(page.jobs.map(\.id))
                guard let next = page.nextBefore else { break }
                filter.before = next
            }
            #expect(pages == [Array(ids[4...].reversed()), Array(ids[1...3].reversed()), [ids[0]]])
            // Exactly a page's worth: no empty page after it.
            #expect(try store.jobPage(matching: JobFilter(kind: "noop", limit: 7)).nextBefore == nil)
            #expect(try store.jobs(matching: JobFilter(queue: "q2")).map(\.kind) == ["other"])
        }
    }

    @Test("a search page examines at most its window and says where the next window starts")
    func searchWindow() throws {
        try withStore { store, _ in
            let match = try store.enqueue(NewJob(kind: "noop", payload: #"{"n": "needle"}"#), now: t0).id
            let others = try (0..<5).map { _ in try store.enqueue(NewJob(kind: "noop"), now: t0).id }
            var filter = JobFilter(search: "needle", limit: 10)
            filter.searchWindow = 3
            let first = try store.jobPage(matching: filter)
            #expect(first.jobs.isEmpty)
            #expect(first.nextBefore == others[2])
            filter.before = first.nextBefore
            let second = try store.jobPage(matching: filter)
            #expect(second.jobs.map(\.id) == [match])
            #expect(second.nextBefore == nil)
        }
    }

    @Test("a count answers its id bound; a selection up to that bound never touches a job enqueued after")
    func countBound() throws {
        try withStore { store, _ in
            let first = try failed(store, message: "boom")
            let second = try failed(store, message: "boom")
            let count = try store.count(matching: JobFilter(states: [.failed]))
            #expect(count == JobCount(count: 2, upToID: second))
            let later = try failed(store, message: "boom")
            var seen: [Int64] = []
            try store.forEachChunk(of: .matching(JobFilter(states: [.failed]), upToID: count.upToID)) { seen += $0 }
            #expect(seen == [first, second])
            #expect(try store.count(matching: JobFilter(states: [.failed])).count == 3)
            #expect(try store.count(matching: JobFilter(states: [.failed]), upToID: first).count == 1)
            #expect(later > second)
        }
    }

    @Test("a selection is walked oldest first in chunks, each its own transaction: a failing chunk undoes only itself")
    func chunks() throws {
        try withStore { store, _ in
            let ids = try (0..<5).map { _ in try failed(store, message: "boom") }
            var chunks: [[Int64]] = []
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try store.forEachChunk(of: .matching(JobFilter(states: [.failed]), upToID: Int64.max), chunkSize: 2) { chunk in
                    chunks.append(chunk)
                    _ = try store.discardInTransaction(ids: chunk)
                    if chunks.count == 2 { throw Stop() }
                }
            }
            #expect(chunks == [[ids[0], ids[1]], [ids[2], ids[3]]])
            #expect(try store.job(id: ids[0]) == nil)
            #expect(try store.job(id: ids[2])?.state == .failed, "the failed chunk's discard was rolled back")
            var byIDs: [[Int64]] = []
            try store.forEachChunk(of: .ids([ids[4], ids[2], ids[4], ids[3]]), chunkSize: 2) { byIDs.append($0) }
            #expect(byIDs == [[ids[2], ids[3]], [ids[4]]])
        }
    }

    @Test("discard deletes a failed or cancelled job and its history, refuses pending and running ones, and keeps the counters")
    func discard() throws {
        try withStore { store, _ in
            let failedID = try failed(store, message: "boom")
            let before = try store.jobMetrics().counters
            let waiting = try store.enqueue(NewJob(kind: "noop", runAt: t0 + 60_000), now: t0).id
            try store.discard(id: failedID)
            #expect(try store.job(id: failedID) == nil)
            #expect(try store.connection.scalarInt("SELECT count(*) FROM job_errors WHERE job_id = ?", [failedID]) == 0)
            #expect(try store.jobMetrics().counters.filter { $0.name != "enqueued" } == before.filter { $0.name != "enqueued" })

            let refusal = try #require(throws: QueueError.self) { try store.discard(id: waiting) }
            #expect(refusal.code == .invalidState)
            #expect(refusal.message.contains("is scheduled"))
            #expect(try #require(throws: QueueError.self) { try store.discard(id: 999) }.code == .notFound)
            _ = try store.cancel(id: waiting, now: t0 + 1)
            try store.discard(id: waiting)
            #expect(try store.job(id: waiting) == nil)

            let running = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            #expect(try store.connection.transaction { try store.discardInTransaction(ids: [running]) }.map(\.id) == [running])
            #expect(try store.job(id: running)?.state == .running)
        }
    }

    @Test("each attempt's error keeps its worker and start, whichever path ended it")
    func attemptHistory() throws {
        try withStore { store, _ in
            // Attempt 1 fails retryably on w1; attempt 2 is rescued from w2; attempt 3 fails for good on w3.
            let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 3), now: t0).id
            _ = try store.claim(workerID: "w1", limit: 1, leaseMilliseconds: lease, now: t0 + 10)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "e1", retryAt: t0 + 20))], workerID: "w1", now: t0 + 15)
            _ = try store.claim(workerID: "w2", limit: 1, leaseMilliseconds: lease, now: t0 + 20)
            try store.rescueExpiredLeases(now: t0 + 20 + lease + 1)
            _ = try store.claim(workerID: "w3", limit: 1, leaseMilliseconds: lease, now: t0 + lease + 100)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "e3", retryAt: nil))], workerID: "w3", now: t0 + lease + 150)
            let errors = try #require(try store.job(id: id)).errors
            #expect(errors.map(\.worker) == ["w1", "w2", "w3"])
            #expect(errors.map(\.startedAt) == [t0 + 10, t0 + 20, t0 + lease + 100])
            #expect(errors.map(\.durationMilliseconds) == [5, lease + 1, 50])

            // A worker's cancel is its attempt's; an admin's cancel of a waiting job belongs to no run.
            let running = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "w4", limit: 1, leaseMilliseconds: lease, now: t0 + 1)
            try store.complete([Completion(jobID: running, outcome: .cancelled(message: "stopped"))], workerID: "w4", now: t0 + 2)
            #expect(try store.job(id: running)?.errors.map(\.worker) == ["w4"])
            let waiting = try store.enqueue(NewJob(kind: "noop", runAt: t0 + 60_000), now: t0).id
            _ = try store.cancel(id: waiting, now: t0 + 3)
            let cancelled = try #require(try store.job(id: waiting)?.errors.first)
            #expect(cancelled.worker == nil && cancelled.startedAt == nil)
        }
    }
}
