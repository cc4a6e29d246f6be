import Foundation
import MISLinkDemo
import MISLinkKit
import MISLinkQueue
import MISLinkQueuePostgres
import PostgresDB
import MISLinkRunner
import MISLinkSync
import SQLiteDB

/// Sync figures: a nightly import of a school and of a trust, its memory, and write-back latency
/// while a large import runs.
enum SyncBenchmarks {
    static let defaultSizes = [2_200, 22_000, 110_000]

    /// `sizes`: people per run (pupils + staff); nil for the defaults (a tenth of them when `quick`).
    static func run(quick: Bool, sizes: [Int]? = nil) throws {
        say("\n== nightly import: csv connector → directory target, a child process per size and phase")
        say("people = pupils + staff; the import reads every record, matches, updates what changed, finds leavers")
        let sizes = sizes ?? (quick ? [2_200, 22_000] : defaultSizes)
        for people in sizes {
            try inFolder { root in
                let upload = try runChild(["--import-child", "upload", String(people), root.path])
                let nightly = try runChild(["--import-child", "nightly", String(people), root.path])
                say("\(nightly); \(upload)")
            }
        }
        let largest = sizes.max() ?? 110_000
        say("\n== write-back while a \(largest)-person import runs (worker concurrency 4)")
        try inFolder { root in
            _ = try runChild(["--import-child", "upload", String(largest), root.path])
            say(try runChild(["--import-child", "write-backs", String(largest), root.path]))
        }
    }

    /// The 2,000-pupil school's upload and nightly import with the queue and the sync tables on the
    /// PostgreSQL server at `server` (a fresh database, dropped after), beside the same on SQLite.
    static func runOnPostgres(server: String, sizes: [Int]) throws {
        say("\n== nightly import on PostgreSQL and on SQLite: csv → directory, a child process per phase, the server on this machine")
        for people in sizes {
            for backend in ["sqlite", "postgres"] {
                try inFolder { root in
                    var database: BackendBenchmarks.Fresh?
                    if backend == "postgres" {
                        let url = try PostgresURL(server)
                        database = try BackendBenchmarks.freshPostgres(server: url, admin: try PostgresConnection(url: url))
                    }
                    defer { database?.drop() }
                    var environment: [String: String] = [:]
                    if case .postgres(let url)? = database?.database { environment["MISLINK_BENCH_DB"] = url.connectionString }
                    let upload = try runChild(["--import-child", "upload", String(people), root.path], environment: environment)
                    let nightly = try runChild(["--import-child", "nightly", String(people), root.path], environment: environment)
                    say("\(backend == "postgres" ? "PostgreSQL" : "SQLite    "): \(nightly); \(upload)")
                }
            }
        }
    }

    /// The nightly import made as a plan for review and then applied (`plan apply`), against the same
    /// import run at once: each on its own copy of the same uploaded school, a child process each,
    /// `rounds` times in turn.
    static func runPlanApply(sizes: [Int], rounds: Int) throws {
        say("\n== plan, then apply: a nightly import made with --plan-only and applied, against the same import at once")
        say("csv → directory; each on a copy of the same uploaded school; the apply checks the plan against the MIS and target first")
        for people in sizes {
            try inFolder { root in
                let uploaded = root.appendingPathComponent("uploaded")
                try FileManager.default.createDirectory(at: uploaded, withIntermediateDirectories: true)
                _ = try runChild(["--import-child", "upload", String(people), uploaded.path])
                for round in 1...rounds {
                    for phase in round % 2 == 1 ? ["nightly", "plan-apply"] : ["plan-apply", "nightly"] {
                        let copy = root.appendingPathComponent("\(phase)-\(round)")
                        try FileManager.default.copyItem(at: uploaded, to: copy)
                        say(try runChild(["--import-child", phase, String(people), copy.path]))
                        try FileManager.default.removeItem(at: copy)
                    }
                }
            }
        }
    }

    private static func inFolder(_ body: (URL) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-syncbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try body(root)
    }

    /// Runs this benchmark binary with `arguments` and answers what it printed.
    static func runChild(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "mislink-bench \(arguments.joined(separator: " ")) failed")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One phase of a size's run, in this (child) process, on the folder `root`:
    /// - `upload`: generates the school, writes its export, adds the integration and runs the initial
    ///   upload; then writes the next day's export for the nightly import;
    /// - `nightly`: the nightly import alone;
    /// - `write-backs`: the nightly import, with a write-back enqueued every 50 ms while it runs.
    static func child(phase: String, people: Int, root: URL) async throws {
        let staff = max(1, people / 11)
        let pupils = people - staff
        let run = try SyncBenchRun(root: root)
        switch phase {
        case "upload":
            let school = DemoSchool.generate(seed: 7, pupils: pupils, staff: staff)
            try school.writeCSV(to: run.mis)
            try run.addIntegration()
            let upload = try run.enqueue(JobKinds.initialUpload)
            _ = try await run.worker(drain: true).run()
            let seconds = try run.seconds(upload)
            let peak = SyncBenchRun.peakMiB()
            try school.nextDay(seed: 8).writeCSV(to: run.mis)
            say(String(format: "initial upload %.2f s, peak memory %.0f MiB (with the generator)", seconds, peak))
        case "nightly":
            try run.pointAtFolder()
            let nightly = try run.enqueue(JobKinds.nightlyImport)
            _ = try await run.worker(drain: true).run()
            let report = try run.report(nightly)
            say(String(
                format: "%7d people (%d pupils, %d staff, %d contacts): nightly import %.2f s (%d updated, %d added, %d leavers), peak memory %.0f MiB",
                people, pupils, staff, report.contactsRead, try run.seconds(nightly), report.updated, report.added,
                report.leavers, SyncBenchRun.peakMiB()))
        case "plan-apply":
            try run.pointAtFolder()
            let planned = try run.enqueue(JobKinds.nightlyImport, payload: #"{"planOnly": true}"#)
            _ = try await run.worker(drain: true).run()
            let planSeconds = try run.seconds(planned)
            let apply = try PlanService(environment: run.environment).apply(planned)
            _ = try await run.worker(drain: true).run()
            let report = try run.report(apply.id)
            let applySeconds = try run.seconds(apply.id)
            say(String(
                format: "%7d people: plan %.2f s + apply %.2f s = %.2f s (%d updated, %d added, %d leavers), peak memory %.0f MiB",
                people, planSeconds, applySeconds, planSeconds + applySeconds, report.updated, report.added, report.leavers,
                SyncBenchRun.peakMiB()))
        case "write-backs":
            try await writeBacksDuringImport(run, people: people)
        default:
            preconditionFailure("unknown phase \(phase)")
        }
    }

    private static func writeBacksDuringImport(_ run: SyncBenchRun, people: Int) async throws {
        let running = run.worker(drain: false)
        let worker = Task { try await running.run() }
        let nightly = try run.enqueue(JobKinds.nightlyImport)
        var events: [Int64] = []
        var n = 0
        while try run.jobs.job(id: nightly)?.state.isFinished == false {
            n += 1
            let payload = #"{"eventId":"bench-\#(n)","studentMisId":"P1","date":"2026-11-17","session":"AM","code":"L","minutesLate":3}"#
            events.append(try run.enqueue(JobKinds.writeBack, payload: payload))
            try await Task.sleep(for: .milliseconds(50))
        }
        while try events.contains(where: { try run.jobs.job(id: $0)?.state.isFinished == false }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        running.requestStop()
        _ = try await worker.value
        var latencies: [Double] = []
        for id in events {
            let job = try run.jobs.job(id: id)!
            precondition(job.state == .succeeded, "write-back \(id): \(job.lastError ?? "")")
            latencies.append(Double(job.finishedAt! - job.createdAt))
        }
        latencies.sort()
        say(String(
            format: "%d write-backs during a %.2f s import of %d people: enqueue-to-delivered p50 %.0f ms, p99 %.0f ms, max %.0f ms",
            latencies.count, try run.seconds(nightly), people, latencies[latencies.count / 2],
            latencies[min(latencies.count - 1, Int(Double(latencies.count - 1) * 0.99))], latencies.last ?? 0))
    }
}

/// A `/metrics` scrape's server-side time (`JobAdmin.metrics()`, what the console answers with) on a
/// queue of 1,000,000 jobs: 100,000 finished, 10,000 failed, the rest waiting.
enum MetricsBenchmark {
    static func run(jobs total: Int = 1_000_000) async throws {
        let path = try freshDatabase()
        defer { removeDatabase(path) }
        try fillQueue(path: path, jobs: total)
        let admin = JobAdmin(environment: SyncEnvironment(databasePath: path, plugins: PluginRegistry()))
        var bytes = 0
        let scrape = try timed { bytes = try admin.metrics().utf8.count }
        say(String(format: "/metrics on %d jobs (%d waiting, 100000 done, 10000 failed): p50 %.1f ms, max %.1f ms (%d bytes)",
                   total + 10_000, total - 100_000, scrape.p50, scrape.max, bytes))
        // The reads the console's pages make beside it: the jobs page's tabs, the queues, the chart.
        var tabs: [JobState: Int] = [:]
        let tabCounts = try timed { tabs = try admin.stateCounts() }
        precondition(tabs[.available] == total - 100_000 && tabs[.failed] == 10_000, "counts: \(tabs)")
        let queues = try timed { _ = try admin.queues() }
        let chart = try timed { _ = try admin.activity(since: JobStore.now() - 30 * 86_400_000) }
        say(String(format: "jobs page tab counts p50 %.2f ms, queues p50 %.2f ms, 30-day activity p50 %.2f ms",
                   tabCounts.p50, queues.p50, chart.p50))
    }

    /// Median and slowest of 20 runs, in milliseconds.
    private static func timed(_ body: () throws -> Void) throws -> (p50: Double, max: Double) {
        var times: [Double] = []
        for _ in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return (times[times.count / 2], times.last!)
    }

    /// `total` noop jobs and 10,000 that fail, enqueued in batches; then 100,000 of the first run to
    /// success and the 10,000 to failure through the store's claim and complete (no worker), so the
    /// counters and indexes are as a real queue's: `total - 100_000` waiting, 100,000 done, 10,000 failed.
    static func fillQueue(path: String, jobs total: Int) throws {
        let store = try JobStore(path: path)
        var remaining = total
        while remaining > 0 {
            let chunk = min(remaining, 100_000)
            _ = try store.enqueue(batch: noopJobs(chunk))
            remaining -= chunk
        }
        _ = try store.enqueue(batch: (0..<10_000).map { _ in NewJob(kind: BuiltInKinds.noop, payload: #"{"fail":"permanent"}"#, priority: 5, maxAttempts: 1) })
        var done = 0
        while done < 110_000 {
            let claimed = try store.claim(workerID: "bench", limit: 1_000, leaseMilliseconds: 60_000)
            try store.complete(
                claimed.map {
                    Completion(jobID: $0.id, outcome: $0.priority == 5 ? .failed(message: "x", retryAt: nil) : .succeeded(result: nil))
                }, workerID: "bench")
            done += claimed.count
        }
    }
}
