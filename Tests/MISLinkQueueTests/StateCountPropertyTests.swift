@testable import MISLinkQueue
import SQLiteDB
import Testing
import MISLinkTestSupport

/// The state counters against the jobs themselves: a seeded random run of every path that inserts,
/// moves or deletes jobs, on two connections, checked after every step with SQL of the test's own.
@Suite struct StateCountPropertyTests {
    /// SplitMix64: the same seed gives the same run, so a failure names the seed that repeats it.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    struct Broken: Error {}

    static let kinds = ["a", "b", "c"]
    static let queues = ["q1", "q2", "q3"]
    static let workers = ["w1", "w2", "w3"]
    static let leaseMs: Int64 = 10_000

    /// The truth, counted by the test: (kind, queue, state) → jobs.
    private func truth(_ connection: Connection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        _ = try connection.query("SELECT kind, queue, state, count(*) FROM jobs GROUP BY 1, 2, 3") {
            counts["\($0.string(0))/\($0.string(1))/\($0.string(2))"] = $0.int(3)
        }
        return counts
    }

    /// The counters as stored, zero rows left out (a zero row and a missing row agree).
    private func counters(_ connection: Connection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        _ = try connection.query("SELECT kind, queue, name, value FROM job_counters WHERE name LIKE 'state:%' AND value != 0") {
            counts["\($0.string(0))/\($0.string(1))/\($0.string(2).dropFirst("state:".count))"] = $0.int(3)
        }
        return counts
    }

    private func newJob(_ random: inout Random, now: Int64) -> NewJob {
        NewJob(
            kind: random.pick(Self.kinds), queue: random.pick(Self.queues), priority: random.pick([0, 0, 5]),
            maxAttempts: 1 + random.below(3), runAt: random.chance(25) ? now + Int64(1 + random.below(5_000)) : nil,
            uniqueKey: random.chance(30) ? "u\(random.below(5))" : nil,
            concurrencyKey: random.chance(10) ? "ck" : nil)
    }

    private func outcome(_ random: inout Random, now: Int64) -> (JobOutcome, CommitEffect?) {
        switch random.below(10) {
        case 0: return (.succeeded(result: nil), nil)
        case 1: return (.succeeded(result: #"{"ok":true}"#), nil)
        case 2:
            // Bookkeeping that enqueues a follow-up job in the completion's transaction.
            let followUp = NewJob(kind: "follow", queue: "q1", uniqueKey: random.chance(50) ? "u1" : nil)
            return (.succeeded(result: nil), { connection in _ = try JobStore.enqueue(followUp, on: connection as! Connection, now: now) })
        case 3:
            // Bookkeeping that enqueues, then throws: both undone, the run becomes a retryable failure.
            return (.succeeded(result: nil), { connection in
                _ = try JobStore.enqueue(NewJob(kind: "follow", queue: "q2"), on: connection as! Connection, now: now)
                throw Broken()
            })
        case 4: return (.failed(message: "try again", retryAt: now + Int64(random.below(3_000))), nil)
        case 5: return (.failed(message: "permanent", retryAt: nil), nil)
        case 6: return (.snoozed(until: random.chance(50) ? now - 10 : now + 2_000), nil)
        case 7: return (.handedBack, nil)
        case 8: return (.cancelled(message: "stop"), nil)
        default: return (.succeeded(result: nil), nil)
        }
    }

    @Test("after every step of a random run of every path, the state counters equal a count of the jobs", arguments: [1, 7, 42, 2026])
    func countersEqualTheJobs(seed: UInt64) throws {
        try withStore { first, path in
            let second = try JobStore(path: path)
            // A final failure's bookkeeping: sometimes a follow-up job, sometimes an error it survives.
            for store in [first, second] {
                store.finalFailureHook = { failure in
                    { connection in
                        if failure.jobID % 3 == 0 { throw Broken() }
                        if failure.jobID % 2 == 0 {
                            _ = try JobStore.enqueue(NewJob(kind: "cleanup", queue: "q3"), on: connection as! Connection, now: t0)
                        }
                    }
                }
            }
            var random = Random(state: seed)
            var now = t0
            var held: [String: [Int64]] = [:]
            var log: [String] = []
            var seen: Set<JobState> = []
            for step in 0..<500 {
                let store = random.chance(50) ? first : second
                let maxID = Int(try store.connection.scalarInt("SELECT max(id) FROM jobs") ?? 0)
                let someID = Int64(1 + random.below(max(1, maxID + 2)))
                let worker = random.pick(Self.workers)
                var op: String
                switch random.below(18) {
                case 0, 1:
                    let job = newJob(&random, now: now)
                    let result = try store.enqueue(job, now: now)
                    op = "enqueue \(job.kind)/\(job.queue) key \(job.uniqueKey ?? "-") → \(result.id) inserted \(result.inserted)"
                case 2:
                    let jobs = (0..<(1 + random.below(12))).map { _ in newJob(&random, now: now) }
                    let results = try store.enqueue(batch: jobs, commitEvery: random.chance(50) ? nil : 1 + random.below(4), now: now)
                    op = "enqueue batch of \(jobs.count), \(results.filter(\.inserted).count) inserted"
                case 3, 4, 5, 6:
                    var completions: [Completion] = []
                    for id in held[worker, default: []] where random.chance(70) {
                        let (outcome, effect) = outcome(&random, now: now)
                        completions.append(Completion(jobID: id, outcome: outcome, effect: effect))
                    }
                    // Now and then a report for a job this worker does not hold: the store must refuse it.
                    if random.chance(15) { completions.append(Completion(jobID: someID, outcome: .succeeded(result: nil))) }
                    let reported = Set(completions.map(\.jobID))
                    held[worker] = held[worker, default: []].filter { !reported.contains($0) }
                    let limit = random.below(5)
                    let queues: [String]? = random.chance(30) ? [random.pick(Self.queues), random.pick(Self.queues)] : nil
                    let exchange = try store.exchange(
                        completions: completions, workerID: worker, claim: limit, queues: queues,
                        excludingQueues: random.chance(10) ? [random.pick(Self.queues)] : [], leaseMilliseconds: Self.leaseMs,
                        now: now)
                    held[worker, default: []] += exchange.claimed.map(\.id)
                    op = "exchange by \(worker): \(completions.count) reported, claimed \(exchange.claimed.map(\.id))"
                case 7:
                    let result = try? store.cancel(id: someID, now: now)
                    op = "cancel \(someID) → \(String(describing: result))"
                case 8:
                    if random.chance(70) {
                        do {
                            try store.retry(id: someID, extraAttempts: 1 + random.below(2), now: now)
                            op = "retry \(someID)"
                        } catch {
                            op = "retry \(someID) refused"
                        }
                    } else {
                        op = "retry all failed → \(try store.retryAllFailed(extraAttempts: { _ in 1 }, now: now))"
                    }
                case 9:
                    let step = Int64(random.below(8_000))
                    now += step
                    op = "clock +\(step)"
                case 10:
                    op = "rescue expired → \(try store.rescueExpiredLeases(now: now))"
                case 11:
                    let record = WorkerRecord(
                        id: worker, host: "h", pid: 1, processStart: nil, queues: nil, concurrency: 4, startedAt: now,
                        heartbeatAt: now, leaseMilliseconds: Self.leaseMs)
                    op = "rescue all of \(worker) → \(try store.rescueJobs(ofWorker: record, reason: "gone", now: now))"
                case 12:
                    let cutoff = now - Int64(random.below(20_000))
                    op = "prune before \(cutoff) → \(try store.prune(finishedBefore: cutoff, chunk: 1 + random.below(4), now: now))"
                case 13:
                    // The one delete path, asked for pending jobs too: only finished ones go.
                    let ids = (0..<3).map { _ in Int64(1 + random.below(max(1, maxID))) }
                    let deleted = try store.connection.transaction { try store.deleteJobs(ids: ids) }
                    op = "delete \(ids) → \(deleted)"
                case 14:
                    let queue = random.pick(Self.queues)
                    if random.chance(50) { try store.pause(queue: queue, now: now) } else { try store.resume(queue: queue) }
                    op = "pause or resume \(queue)"
                case 15:
                    // A bulk discard over a filter, as the console's "everything matching" does.
                    var filter = JobFilter()
                    if random.chance(50) { filter.queue = random.pick(Self.queues) }
                    var refused = 0
                    try store.forEachChunk(of: .matching(filter, upToID: Int64(maxID)), chunkSize: 1 + random.below(3)) {
                        refused += try store.discardInTransaction(ids: $0).count
                    }
                    op = "bulk discard in \(filter.queue ?? "every queue"), \(refused) refused"
                case 16:
                    // A bulk cancel of a few ids (one of them perhaps missing or finished).
                    let ids = (0..<3).map { _ in Int64(1 + random.below(max(1, maxID + 1))) }
                    var outcomes: [String] = []
                    try store.forEachChunk(of: .ids(ids), chunkSize: 2) { chunk in
                        for id in chunk {
                            outcomes.append((try? store.cancelInTransaction(id: id, now: now)).map { "\($0)" } ?? "refused")
                        }
                    }
                    op = "bulk cancel \(ids) → \(outcomes)"
                default:
                    _ = try store.heartbeat(workerID: worker, leaseMilliseconds: Self.leaseMs, now: now)
                    op = "heartbeat \(worker)"
                }
                log.append("\(step): \(op)")
                let context = Comment(rawValue: "seed \(seed), step \(step): \(op)\n" + log.suffix(8).joined(separator: "\n"))
                let expected = try truth(first.connection)
                try #require(try counters(second.connection) == expected, context)
                try checkReaders(first, expected: expected, context)
                seen.formUnion(expected.keys.compactMap { $0.split(separator: "/").last.flatMap { JobState(rawValue: String($0)) } })
            }
            // The run must have reached the paths it is meant to test: every state held jobs at some step.
            #expect(seen == Set(JobState.allCases), "\(seen)")
            let totals = try first.jobMetrics().counters
            for name in [JobMetrics.rescued, JobMetrics.retried, JobMetrics.cancelled, JobMetrics.failed] {
                #expect(totals.filter { $0.name == name }.map(\.value).reduce(0, +) > 0, "no job was \(name)")
            }
        }
    }

    /// Every public reader built on the counters agrees with the jobs too.
    private func checkReaders(_ store: JobStore, expected: [String: Int], _ context: Comment) throws {
        var byState: [JobState: Int] = [:]
        var byKindState: [String: Int] = [:]
        var byQueueState: [String: [JobState: Int]] = [:]
        var current: [String: Int] = [:]
        for (key, count) in expected {
            let parts = key.split(separator: "/").map(String.init)
            let state = try #require(JobState(rawValue: parts[2]))
            byState[state, default: 0] += count
            byKindState["\(parts[0])/\(state.rawValue)", default: 0] += count
            if JobMetrics.currentStates.contains(state) {
                byQueueState[parts[1], default: [:]][state, default: 0] += count
                current[key] = count
            }
        }
        let counts = try store.stateCounts()
        try #require(JobState.allCases.allSatisfy { counts[$0] == byState[$0] ?? 0 }, context)
        let kindA = try store.stateCounts(kind: "a", queue: "q1")
        try #require(JobState.allCases.allSatisfy { kindA[$0] == expected["a/q1/\($0.rawValue)"] ?? 0 }, context)
        let stats = try store.stats()
        try #require(Dictionary(uniqueKeysWithValues: stats.rows.map { ("\($0.kind)/\($0.state.rawValue)", $0.count) }) == byKindState, context)
        var metricStates: [String: Int] = [:]
        for row in try store.jobMetrics().states { metricStates["\(row.kind)/\(row.queue)/\(row.state.rawValue)"] = row.count }
        try #require(metricStates == current, context)
        var oldest: [String: Int64] = [:]
        _ = try store.connection.query("SELECT queue, min(run_at) FROM jobs WHERE state = 'available' GROUP BY queue") {
            oldest[$0.string(0)] = $0.int64(1)
        }
        let summaries = try store.queueSummaries()
        for summary in summaries {
            try #require(summary.depth == (byQueueState[summary.name] ?? [:]), context)
            try #require(summary.oldestAvailableRunAt == oldest[summary.name], context)
        }
        try #require(Set(byQueueState.keys).isSubset(of: summaries.map(\.name)), context)
        try #require(stats.oldestAvailableRunAt == oldest.values.min(), context)
        // Every success and final failure is in an hour's bucket: the buckets add up to the totals.
        let totals = try store.jobMetrics().counters
        let activity = try store.activity(since: 0)
        try #require(
            activity.map(\.succeeded).reduce(0, +)
                == Int(totals.filter { $0.name == JobMetrics.succeeded }.map(\.value).reduce(0, +)), context)
        try #require(
            activity.map(\.failed).reduce(0, +) == Int(totals.filter { $0.name == JobMetrics.failed }.map(\.value).reduce(0, +)),
            context)
    }
}
