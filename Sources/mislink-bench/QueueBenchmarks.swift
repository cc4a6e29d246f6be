import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkKit
import SQLiteDB
import Synchronization

// The queue's figures: enqueue, throughput, latency, claim time against depth.
// Every figure comes from a fresh database file in a temporary directory.


/// One figure per line, written at once (print to a file or pipe would buffer them to the end).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func freshDatabase() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-bench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/bench.sqlite"
}

func removeDatabase(_ path: String) {
    try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func rate(_ count: Int, _ seconds: Double) -> String {
    String(format: "%9.0f/s", Double(count) / seconds)
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

/// The median of three runs: one figure from a noisy shared machine.
func medianOfThree(_ measure: () throws -> Double) rethrows -> Double {
    let runs = try (0..<3).map { _ in try measure() }.sorted()
    return runs[1]
}

func noopJobs(_ count: Int, priority: Int = 0, payload: String = "{}") -> [NewJob] {
    (0..<count).map { _ in NewJob(kind: BuiltInKinds.noop, payload: payload, priority: priority, maxAttempts: 3) }
}

func silentWorker(_ path: String, mode: SynchronousMode, concurrency: Int, drain: Bool) -> Worker {
    var configuration = WorkerConfiguration(databasePath: path, connection: ConnectionConfiguration(synchronous: mode))
    configuration.concurrency = concurrency
    configuration.drain = drain
    return Worker(configuration: configuration, handlers: BuiltInHandlers.registry())
}

/// Runs the queue benchmarks; `scale` divides every size (10 for --quick).
func runQueueBenchmarks(modes: [SynchronousMode], scale: Int, quick: Bool) async throws {
    say("mislink-bench on \(ProcessInfo.processInfo.activeProcessorCount) cores, SQLite WAL\(quick ? " (quick: 1/10 sizes)" : "")")

    for mode in modes {
        say("\n== synchronous=\(mode.rawValue)")
        let configuration = ConnectionConfiguration(synchronous: mode)

        // Enqueue, one transaction per job (median of three fresh databases).
        do {
            let count = 20_000 / scale
            let jobs = noopJobs(count)
            let elapsed = try medianOfThree {
                let path = try freshDatabase()
                defer { removeDatabase(path) }
                let store = try JobStore(path: path, configuration: configuration)
                return try seconds { for job in jobs { try store.enqueue(job) } }
            }
            say("enqueue, one transaction each     \(rate(count, elapsed))  (\(count) jobs, median of 3)")
        }

        // Enqueue in one batch transaction (median of three fresh databases).
        do {
            let count = 200_000 / scale
            let jobs = noopJobs(count)
            let elapsed = try medianOfThree {
                let path = try freshDatabase()
                defer { removeDatabase(path) }
                let store = try JobStore(path: path, configuration: configuration)
                return try seconds { _ = try store.enqueue(batch: jobs) }
            }
            say("enqueue, one batch transaction    \(rate(count, elapsed))  (\(count) jobs, median of 3)")
        }

        // The store's ceiling: claim and complete in batches, no dispatch to handlers.
        for batch in [1, 4, 64] {
            let path = try freshDatabase()
            let store = try JobStore(path: path, configuration: configuration)
            let count = 100_000 / scale
            _ = try store.enqueue(batch: noopJobs(count))
            var done = 0
            var held: [Completion] = []
            let elapsed = try seconds {
                while true {
                    let claimed = try store.exchange(
                        completions: held, workerID: "bench", claim: batch, leaseMilliseconds: 30_000).claimed
                    done += held.count
                    if claimed.isEmpty { break }
                    held = claimed.map { Completion(jobID: $0.id, outcome: .succeeded(result: nil)) }
                }
            }
            precondition(done == count)
            say("store only, batches of \(String(batch).padding(toLength: 3, withPad: " ", startingAt: 0))     \(rate(count, elapsed))  (claim+complete, no dispatch)")
            removeDatabase(path)
        }

        // End to end: enqueue noop jobs, then a draining worker runs them all.
        for concurrency in [1, 4, 16] {
            let path = try freshDatabase()
            let store = try JobStore(path: path, configuration: configuration)
            let count = 100_000 / scale
            _ = try store.enqueue(batch: noopJobs(count))
            let worker = silentWorker(path, mode: mode, concurrency: concurrency, drain: true)
            let start = DispatchTime.now().uptimeNanoseconds
            let summary = try await worker.run()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            precondition(summary.succeeded == count, "worker ran \(summary.succeeded) of \(count)")
            say("noop end to end, concurrency \(String(concurrency).padding(toLength: 3, withPad: " ", startingAt: 0))  \(rate(count, elapsed))  (\(count) jobs)")
            removeDatabase(path)
        }
    }

    // Latency of a high-priority job while 100,000 low-priority jobs wait and every slot is busy.
    do {
        say("\n== high-priority start latency (synchronous=NORMAL)")
        let path = try freshDatabase()
        let store = try JobStore(path: path)
        let backlog = 100_000 / scale
        _ = try store.enqueue(batch: noopJobs(backlog, payload: #"{"sleepMs": 5}"#))
        let worker = silentWorker(path, mode: .normal, concurrency: 4, drain: false)
        let (latencies, asked) = try await BackendBenchmarks.highPriorityStarts(store: store, worker: worker)
        let stillQueued = try store.stats().count(state: .available)
        say("backlog \(backlog) low-priority jobs (5 ms each) at concurrency 4; \(stillQueued) still queued at the end")
        say(String(format: "high-priority enqueue-to-start: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d started)",
                     percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? -1, latencies.count, asked))
        removeDatabase(path)
    }

    // Idle pickup: a worker with nothing to do notices a new job.
    do {
        let path = try freshDatabase()
        let store = try JobStore(path: path)
        let worker = silentWorker(path, mode: .normal, concurrency: 4, drain: false)
        let run = Task { try await worker.run() }
        try await Task.sleep(for: .milliseconds(200))
        var latencies: [Double] = []
        for _ in 0..<100 {
            let id = try store.enqueue(NewJob(kind: BuiltInKinds.noop)).id
            try await Task.sleep(for: .milliseconds(20))
            if let job = try store.job(id: id), let started = job.startedAt { latencies.append(Double(started - job.createdAt)) }
        }
        worker.requestStop()
        _ = try await run.value
        latencies.sort()
        say(String(format: "idle worker enqueue-to-start:     p50 %.0f ms, p99 %.0f ms", percentile(latencies, 0.5), percentile(latencies, 0.99)))
        removeDatabase(path)
    }

    try await measureRetryWakeUp()

    // Claim time against queue depth: each exchange hands the previous job back and claims the head
    // again, so the depth stays exactly N while it is measured.
    do {
        say("\n== claim time against queue depth (synchronous=NORMAL, one claim + one hand-back per exchange)")
        let depths = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000]
        var first: Double?
        for depth in depths {
            // The same measurement as `--backend postgres` makes of both back ends.
            let queue = try BackendBenchmarks.freshSQLite()
            defer { queue.drop() }
            try BackendBenchmarks.fill(queue, count: depth)
            let micros = try BackendBenchmarks.claimMicros(queue)
            first = first ?? micros
            say(String(format: "%9d queued: %6.1f µs per exchange, median of 3 × 2,000 (%.2f× the 1k figure)", depth, micros, micros / first!))
        }
    }
}

/// End-to-end noop throughput only (for comparing two builds run by run): median of `runs`.
func runNoopOnly(concurrency: Int, runs: Int, count: Int) async throws {
    var rates: [Double] = []
    for _ in 0..<runs {
        let path = try freshDatabase()
        let store = try JobStore(path: path)
        _ = try store.enqueue(batch: noopJobs(count))
        let worker = silentWorker(path, mode: .normal, concurrency: concurrency, drain: true)
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try await worker.run()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        precondition(summary.succeeded == count, "worker ran \(summary.succeeded) of \(count)")
        rates.append(Double(count) / elapsed)
        removeDatabase(path)
    }
    rates.sort()
    say(String(format: "noop end to end, concurrency %d: median %.0f jobs/s (runs: %@)", concurrency, rates[rates.count / 2],
               rates.map { String(format: "%.0f", $0) }.joined(separator: ", ")))
}

/// A retry falling due on an idle worker: how long from its due time to its start. Each job fails
/// its first attempt and is retried 100 ms later; the worker has nothing else to do, so the figure is
/// how promptly it wakes for its own retries (no other process commits to tell it).
func measureRetryWakeUp() async throws {
    let path = try freshDatabase()
    let store = try JobStore(path: path)
    let kind = "flaky"
    let delays = RetryDelays()
    let handlers = HandlerRegistry()
    handlers.register(kind, FlakyHandler(delays: delays))
    var policies = BuiltInKinds.catalog.defaults
    policies[kind] = JobPolicy(
        queue: "default", priority: 0, maxAttempts: 3, backoff: Backoff(initialMilliseconds: 100, maxMilliseconds: 100, multiplier: 1, jitter: 0),
        timeoutMilliseconds: 30_000)
    var configuration = WorkerConfiguration(databasePath: path)
    configuration.concurrency = 4
    let worker = Worker(configuration: configuration, handlers: handlers, policies: PolicySet(policies: policies))
    let run = Task { try await worker.run() }
    try await Task.sleep(for: .milliseconds(200))
    let count = 200
    for _ in 0..<count {
        _ = try store.enqueue(NewJob(kind: kind, maxAttempts: 3))
        try await Task.sleep(for: .milliseconds(Int.random(in: 150...250)))  // each retry falls due while idle
    }
    try await Task.sleep(for: .milliseconds(300))
    worker.requestStop()
    _ = try await run.value
    let sorted = delays.all.sorted()
    say(String(format: "idle worker, retry due-to-start:  p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d retries)",
                 percentile(sorted, 0.5), percentile(sorted, 0.99), sorted.last ?? -1, sorted.count))
    removeDatabase(path)
}

/// Fails its first attempt; on the retry, records how long after its due time it started.
struct FlakyHandler: JobHandler {
    let delays: RetryDelays
    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        if job.attempt == 1 { throw PluginError.retryable("first attempt fails") }
        let now = Date().timeIntervalSince1970 * 1000
        delays.add(now - Double(job.runAt))
        return .none
    }
}

final class RetryDelays: Sendable {
    private let values = Mutex<[Double]>([])
    func add(_ value: Double) { values.withLock { $0.append(value) } }
    var all: [Double] { values.withLock { $0 } }
}
