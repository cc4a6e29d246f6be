import MISLinkQueue
import Testing

/// Checklist 8, the admin's reads: lists and counts by every filter field, the count's id bound, and
/// the bulk walk in chunks, the same on both back ends.
@Suite struct AdminConformanceTests {
    @Test("jobs and count agree on every filter field: states, kind, queue, integration, search, before, limit", arguments: Backend.available)
    func filters(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let ada = try store.failedJob(
                kind: "import", queue: "q1", integration: "oak", payload: #"{"pupil":"Ada"}"#,
                messages: ["Timeout talking to Wonde"])
            let bob = try store.succeededJob(kind: "export", queue: "q2", integration: "elm", payload: #"{"pupil":"Bob"}"#)
            let note = try store.availableJob(kind: "import", queue: "q2", payload: #"{"note":"100%_done"}"#)
            let later = try store.scheduledJob(kind: "noop", queue: "q1")
            let twice = try store.failedJob(kind: "noop", queue: "q3", messages: ["rate limited", "gave up"])
            let all = [twice, later, note, bob, ada]

            let cases: [(String, JobFilter, [Int64])] = [
                ("no filter", JobFilter(), all),
                ("one state", JobFilter(states: [.failed]), [twice, ada]),
                ("two states", JobFilter(states: [.succeeded, .failed]), [twice, bob, ada]),
                ("kind", JobFilter(kind: "import"), [note, ada]),
                ("queue", JobFilter(queue: "q1"), [later, ada]),
                ("integration", JobFilter(integration: "oak"), [ada]),
                ("state and queue", JobFilter(states: [.failed], queue: "q3"), [twice]),
                ("search in the payload, any case", JobFilter(search: "aDA"), [ada]),
                ("search in the last error", JobFilter(search: "WONDE"), [ada]),
                ("search in an earlier error only", JobFilter(search: "rate limit"), [twice]),
                ("search: % and _ match themselves", JobFilter(search: "0%_d"), [note]),
                ("search: a lone %", JobFilter(search: "%"), [note]),
                ("empty search", JobFilter(search: ""), all),
                ("before", JobFilter(before: note), [bob, ada]),
                ("before and search", JobFilter(search: "pupil", before: bob), [ada]),
                ("nothing", JobFilter(kind: "absent"), []),
            ]
            for (what, filter, expected) in cases {
                #expect(try store.jobs(matching: filter).map(\.id) == expected, "\(what)")
                #expect(try store.count(matching: filter, upToID: nil) == JobCount(count: expected.count, upToID: twice), "\(what)")
            }
            #expect(try store.jobs(matching: JobFilter(limit: 2)).map(\.id) == [twice, later], "the limit applies")
            let listed = try #require(try store.jobs(matching: JobFilter(states: [.failed])).first)
            #expect(listed.errors.map { $0.message.prefix(7) } == ["rate li", "gave up"], "error histories are filled, as job(id:) does")
            #expect(listed == (try store.job(id: twice)))
        }
    }

    @Test("a search page examines at most its window (of the jobs the rest of the filter matches) and says where the next window starts", arguments: Backend.available)
    func searchWindow(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let match = try store.enqueue(job: NewJob(kind: "noop", payload: #"{"n": "needle"}"#)).id
            let elsewhere = try store.enqueue(job: NewJob(kind: "noop", queue: "other")).id
            let others = try (0..<5).map { _ in try store.enqueue(job: NewJob(kind: "noop")).id }
            var filter = JobFilter(queue: "default", search: "needle", limit: 10)
            filter.searchWindow = 3
            let first = try store.jobPage(matching: filter)
            #expect(first.jobs.isEmpty)
            #expect(first.nextBefore == others[2], "the window was the three newest of the queue")
            filter.before = first.nextBefore
            let second = try store.jobPage(matching: filter)
            #expect(second.jobs.map(\.id) == [match])
            #expect(second.nextBefore == nil)
            #expect(elsewhere < others[0])
            // A full page goes on after its last job, as without a search.
            filter = JobFilter(search: "noop", limit: 2)
            #expect(try store.jobPage(matching: filter).jobs.isEmpty, "the kind is not searched, the payload is")
        }
    }

    @Test("count's id bound: the newest job's when not given, never above it; a job enqueued after is not counted", arguments: Backend.available)
    func countBound(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            #expect(try store.count(matching: JobFilter(), upToID: nil) == JobCount(count: 0, upToID: 0))
            #expect(try store.count(matching: JobFilter(), upToID: 5) == JobCount(count: 0, upToID: 0))
            let first = try store.failedJob()
            let second = try store.failedJob()
            let seen = try store.count(matching: JobFilter(states: [.failed]), upToID: nil)
            #expect(seen == JobCount(count: 2, upToID: second))
            let after = try store.failedJob()
            #expect(try store.count(matching: JobFilter(states: [.failed]), upToID: seen.upToID) == seen)
            #expect(try store.count(matching: JobFilter(states: [.failed]), upToID: first) == JobCount(count: 1, upToID: first))
            #expect(try store.count(matching: JobFilter(states: [.failed]), upToID: after + 1_000) == JobCount(count: 3, upToID: after))
            // The walk covers what was counted: the job enqueued since is left alone.
            var walked: [Int64] = []
            try store.forEachChunk(of: .matching(JobFilter(states: [.failed]), upToID: seen.upToID), chunkSize: 10) { walked += $0 }
            #expect(walked == [first, second])
        }
    }

    @Test("a walk goes oldest first in chunks, each its own transaction: a throw undoes its chunk only and stops", arguments: Backend.available)
    func chunks(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let ids = try (0..<5).map { _ in try store.failedJob() }
            struct Stop: Error {}
            var chunks: [[Int64]] = []
            #expect(throws: Stop.self) {
                try store.forEachChunk(of: .matching(JobFilter(states: [.failed]), upToID: Int64.max), chunkSize: 2) { chunk in
                    chunks.append(chunk)
                    #expect(try store.discardJobs(ids: chunk).isEmpty)
                    if chunks.count == 2 { throw Stop() }
                }
            }
            #expect(chunks == [[ids[0], ids[1]], [ids[2], ids[3]]])
            #expect(try store.job(id: ids[0]) == nil, "the first chunk committed")
            #expect(try store.state(ids[2]) == .failed, "the failing chunk's discard was rolled back")
            #expect(try store.state(ids[4]) == .failed, "the walk stopped")

            var byIDs: [[Int64]] = []
            try store.forEachChunk(of: .ids([ids[4], ids[2], ids[4], ids[3], 999_999]), chunkSize: 2) { byIDs.append($0) }
            #expect(byIDs == [[ids[2], ids[3]], [ids[4], 999_999]], "ids deduplicated, sorted, chunked, as given")
            var none = 0
            try store.forEachChunk(of: .matching(JobFilter(kind: "absent"), upToID: Int64.max), chunkSize: 2) { _ in none += 1 }
            #expect(none == 0, "an empty selection calls nothing")
        }
    }

    @Test("a job that stops matching between a chunk's find and its act is left alone", arguments: Backend.available)
    func recheck(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let kept = try store.failedJob()
            let moved = try store.failedJob()
            let blocker = try fixture.open()
            let walk: Background<[Int64]> = try blocker.inTransaction {
                // Uncommitted: the walker's find still sees `moved` as matching, and waits for this
                // transaction (its row, or SQLite's write lock) before it acts.
                try run(
                    ("UPDATE jobs SET kind = 'other' WHERE id = ?", "UPDATE jobs SET kind = 'other' WHERE id = $1"),
                    id: moved, on: blocker.transactionHandle)
                let walk = Background<[Int64]> {
                    let walker = try fixture.open()
                    var acted: [Int64] = []
                    try walker.forEachChunk(of: .matching(JobFilter(states: [.failed], kind: "k"), upToID: Int64.max), chunkSize: 10) {
                        acted += $0
                        // A refusal would show as a job acted on twice.
                        acted += try walker.discardJobs(ids: $0).map(\.id)
                    }
                    return acted
                }
                try fixture.awaitLockWaiter()
                return walk
            }
            #expect(try walk.wait() == [kept])
            #expect(try store.job(id: kept) == nil)
            #expect(try store.job(id: moved)?.kind == "other", "left alone")
        }
    }
}
