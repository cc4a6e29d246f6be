import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkRunner
import PostgresDB
import SQLiteDB
import Synchronization

// mislink-bench --backend postgres --db postgresql://USER@HOST:PORT/DB [--quick] [--e2e-only]
// The queue on PostgreSQL beside SQLite, in one run and by the same code (`QueueDatabase`):
// noop end to end with 1, 2 and 4 worker processes, claim time against queue depth, and a
// high-priority job's enqueue-to-start under a backlog. Each figure gets a fresh queue: a file,
// or a database created on the server (the URL's user must be allowed to CREATE DATABASE).
// Where the time goes: the worker processes' CPU (getrusage of the children) and the server's
// (its backends' utime + stime from /proc, sampled while the figure runs), beside the wall time.
// MISLINK_BENCH_CLAIM_AHEAD=N sets the worker processes' claim-ahead depth (default: the back end's).
enum BackendBenchmarks {
    /// A fresh queue: where it is, and how to remove it.
    struct Fresh {
        let database: QueueDatabase
        let name: String
        let drop: () -> Void
    }

    /// `endToEndOnly`: the noop figures alone (`--e2e-only`), for a second look at a quieter moment.
    static func run(server: PostgresURL, quick: Bool, endToEndOnly: Bool = false) async throws {
        let scale = quick ? 10 : 1
        let admin = try PostgresConnection(url: server)
        let settings = try ["server_version", "synchronous_commit", "fsync", "shared_buffers"].map { name in
            "\(name)=\(try admin.execute("SHOW \(name)").rows.first?.string(0) ?? "?")"
        }
        say("mislink-bench --backend postgres on \(ProcessInfo.processInfo.activeProcessorCount) cores; PostgreSQL at \(server) (\(settings.joined(separator: ", ")))")
        if try admin.execute("SHOW synchronous_commit").rows.first?.string(0) != "on" {
            say("NOTE: synchronous_commit is not 'on' on this server: its figures are not those of a durable commit")
        }
        let backends: [(String, () throws -> Fresh)] = [
            ("SQLite", freshSQLite), ("PostgreSQL", { try freshPostgres(server: server, admin: admin) }),
        ]

        say("\n== noop end to end, worker processes (concurrency 4 each), \(100_000 / scale) jobs")
        for (label, fresh) in backends {
            for processes in [1, 2, 4] {
                try noopEndToEnd(label: label, fresh: try fresh(), count: 100_000 / scale, processes: processes, server: server)
            }
        }

        // The same with commits that do not wait for their WAL flush, per session (never the default):
        // how much of the figure above is the disk's. Jobs are then lost if the server crashes.
        say("\n== the same on PostgreSQL with synchronous_commit=off for the workers' sessions (NOT durable; for comparison only)")
        for processes in [1, 2, 4] {
            try noopEndToEnd(
                label: "PG async", fresh: try freshPostgres(server: server, admin: admin, options: "options=-c%20synchronous_commit%3Doff"),
                count: 100_000 / scale, processes: processes, server: server)
        }

        if endToEndOnly { return }

        say("\n== claim time against queue depth (one claim + one hand-back per exchange, median of 3 × 2,000)")
        let depths = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000]
        for (label, fresh) in backends {
            var first: Double?
            for depth in depths {
                let queue = try fresh()
                defer { queue.drop() }
                try fill(queue, count: depth)
                let micros = try claimMicros(queue)
                first = first ?? micros
                say(String(format: "%@ %9d queued: %7.1f µs per exchange (%.2f× the 1k figure)", pad(label), depth, micros, micros / first!))
            }
        }

        say("\n== high-priority enqueue-to-start, \(100_000 / scale) low-priority jobs (5 ms each) queued, one worker at concurrency 4")
        for (label, fresh) in backends {
            try await highPriorityLatency(label: label, fresh: try fresh(), backlog: 100_000 / scale)
        }
    }

    // MARK: - Fresh queues

    static func freshSQLite() throws -> Fresh {
        let path = try freshDatabase()
        return Fresh(database: .sqlite(path: path), name: path) { removeDatabase(path) }
    }

    /// `options`: libpq URL parameters for the workers' sessions (`options=-c%20…`), or nil.
    static func freshPostgres(server: PostgresURL, admin: PostgresConnection, options: String? = nil) throws -> Fresh {
        let name = "mislink_bench_\(UInt32.random(in: 0...UInt32.max))"
        try admin.execute("CREATE DATABASE \(name)")
        var url = server.withDatabase(name)
        if let options { url = try PostgresURL(url.connectionString + (url.connectionString.contains("?") ? "&" : "?") + options) }
        _ = try PostgresJobStore(url: url)  // migrates before anything is timed
        return Fresh(database: .postgres(url), name: name) {
            Thread.sleep(forTimeInterval: 0.5)  // a stopped worker's LISTEN thread closes its connection first
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    /// `count` available noop jobs. On PostgreSQL one INSERT … SELECT (the setup is not what is
    /// measured, and a million single-row inserts would take minutes); on SQLite batches of enqueue.
    static func fill(_ queue: Fresh, count: Int, payload: String = "{}") throws {
        switch queue.database {
        case .sqlite(let path):
            let store = try JobStore(path: path)
            var left = count
            while left > 0 {
                let chunk = min(left, 100_000)
                _ = try store.enqueue(batch: noopJobs(chunk, payload: payload))
                left -= chunk
            }
        case .postgres(let url):
            let connection = try PostgresConnection(url: url)
            try connection.execute(
                """
                INSERT INTO jobs (kind, queue, payload, priority, state, max_attempts, run_at, created_at)
                SELECT 'noop', 'default', $2, 0, 'available', 3, mislink_now_ms(), mislink_now_ms() FROM generate_series(1, $1)
                """, [Int64(count), payload])
            try connection.execute("VACUUM ANALYZE jobs")
        }
    }

    // MARK: - Figures

    static func noopEndToEnd(label: String, fresh queue: Fresh, count: Int, processes: Int, server: PostgresURL) throws {
        defer { queue.drop() }
        try fill(queue, count: count)
        let location: String
        switch queue.database {
        case .sqlite(let path): location = path
        case .postgres(let url): location = url.connectionString
        }
        let serverCPU = ServerCPU(server: server)
        let childrenBefore = childrenCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        let children = try (0..<processes).map { _ in try startWorkerChild(location: location, concurrency: 4) }
        var succeeded = 0
        for child in children {
            child.process.waitUntilExit()
            succeeded += Int(String(decoding: child.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let server = serverCPU.stop()
        let workers = childrenCPUSeconds() - childrenBefore
        precondition(succeeded == count, "\(label): the workers ran \(succeeded) of \(count)")
        var line = String(format: "%@ %d process(es): %@  (%.2f s wall; worker CPU %.2f s", pad(label), processes, rate(count, wall), wall, workers)
        if case .postgres = queue.database { line += String(format: ", server CPU %.2f s", server) }
        say(line + String(format: "; %.0f%% of %d cores)", 100 * (workers + (server)) / (wall * Double(ProcessInfo.processInfo.activeProcessorCount)), ProcessInfo.processInfo.activeProcessorCount))
    }

    static func claimMicros(_ queue: Fresh) throws -> Double {
        let store = try queue.database.open()
        let claims = 2_000
        var previous: Int64?
        let elapsed = try medianOfThree {
            try seconds {
                for _ in 0..<claims {
                    let completions = previous.map { [Completion(jobID: $0, outcome: .handedBack)] } ?? []
                    previous = try store.exchange(
                        ExchangeRequest(completions: completions, workerID: "bench", limit: 1, leaseMilliseconds: 30_000)
                    ).claimed.first?.id
                }
            }
        }
        return elapsed / Double(claims) * 1e6
    }

    static func highPriorityLatency(label: String, fresh queue: Fresh, backlog: Int) async throws {
        defer { queue.drop() }
        try fill(queue, count: backlog, payload: #"{"sleepMs": 5}"#)
        let store = try queue.database.open()
        var configuration = WorkerConfiguration(database: queue.database)
        configuration.concurrency = 4
        let worker = Worker(configuration: configuration, handlers: BuiltInHandlers.registry())
        let (latencies, asked) = try await highPriorityStarts(store: store, worker: worker)
        say(String(format: "%@ p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d started)", pad(label),
                   percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? -1, latencies.count, asked))
    }

    /// Runs `worker` (its slots kept busy by the backlog already queued), enqueues 200 priority-100
    /// jobs 5–25 ms apart through `store`, stops it, and answers each started job's enqueue-to-start
    /// in milliseconds (sorted; created and started on the back end's clock) and how many were enqueued.
    static func highPriorityStarts(store: any QueueBackend, worker: Worker) async throws -> (latencies: [Double], asked: Int) {
        let run = Task { try await worker.run() }
        try await Task.sleep(for: .milliseconds(500))  // let the worker fill its slots
        var ids: [Int64] = []
        for _ in 0..<200 {
            ids.append(try store.enqueue(job: NewJob(kind: BuiltInKinds.noop, priority: 100, maxAttempts: 3)).id)
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...25)))
        }
        try await Task.sleep(for: .milliseconds(300))
        worker.requestStop(.immediate)
        _ = try await run.value
        var latencies: [Double] = []
        for id in ids {
            guard let job = try store.job(id: id), let started = job.startedAt else { continue }
            latencies.append(Double(started - job.createdAt))
        }
        return (latencies.sorted(), ids.count)
    }

    /// A back end's name in a column of 10 (`%-10@` does not pad).
    static func pad(_ label: String) -> String { label.padding(toLength: 10, withPad: " ", startingAt: 0) }

    // MARK: - Worker processes

    /// `mislink-bench --worker-child LOCATION CONCURRENCY`: one draining worker; prints how many succeeded.
    static func child(location: String, concurrency: Int) async throws {
        var configuration = WorkerConfiguration(database: try QueueDatabase(location))
        configuration.concurrency = concurrency
        configuration.drain = true
        let environment = ProcessInfo.processInfo.environment
        if let depth = environment["MISLINK_BENCH_CLAIM_AHEAD"].flatMap(Int.init) { configuration.claimAheadDepth = depth }
        let summary = try await Worker(configuration: configuration, handlers: BuiltInHandlers.registry()).run()
        print(summary.succeeded)
        // Claimed ahead but not started within the hold, and so claimed twice: waste worth seeing.
        if summary.returnedUnstarted > 0 {
            FileHandle.standardError.write(Data("worker child: \(summary.returnedUnstarted) claimed-ahead job(s) went back unstarted\n".utf8))
        }
    }

    static func startWorkerChild(location: String, concurrency: Int) throws -> (process: Process, output: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--worker-child", location, String(concurrency)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        return (process, output)
    }

    /// CPU seconds (user + system) of this process's children that have exited and been waited for.
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
