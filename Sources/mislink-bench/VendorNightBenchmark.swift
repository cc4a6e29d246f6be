import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import MISLinkTestSupport
import SQLiteDB
import WondeConnector

/// "A vendor's night" (issue 8, section 6): many 1,000-person schools read through the Wonde fixture
/// (20 ms of latency a request) into a directory target each, drained by one in-process `Worker`
/// at a given concurrency, with a write-back enqueued every 50 ms while the imports run.
///
/// The night's first pass is each school's initial upload (warming the fixture's generated schools
/// and filling each target); the figure is the second pass, a full-pull nightly import of every
/// school (`full-import-every=1`, so every record is read, matched and compared, not a delta).
enum VendorNightBenchmark {
    static let token = "vendor-night-token-7f3a9c"
    static let latencyMilliseconds = 20

    /// With no `--concurrency`, each of 4, 16 and 64 in a child process of its own (so each peak
    /// memory is its own); with one, that run here.
    /// `--imports-limit N` (with `--concurrency`) holds at most N imports at once instead.
    static func run(arguments: [String]) async throws {
        let quick = arguments.contains("--quick")
        let schools = arguments.firstIndex(of: "--schools").flatMap { Int(arguments.dropFirst($0 + 1).first ?? "") } ?? (quick ? 20 : 200)
        if let index = arguments.firstIndex(of: "--concurrency"), let concurrency = Int(arguments.dropFirst(index + 1).first ?? "") {
            let importsLimit = arguments.firstIndex(of: "--imports-limit").flatMap { Int(arguments.dropFirst($0 + 1).first ?? "") }
            let handlerThreads = arguments.firstIndex(of: "--handler-threads").flatMap { Int(arguments.dropFirst($0 + 1).first ?? "") }
            try await measure(
                schools: schools, concurrency: concurrency, writeBacks: !arguments.contains("--no-write-backs"), importsLimit: importsLimit,
                handlerThreads: handlerThreads)
            return
        }
        say("\n== a vendor's night: \(schools) schools of 1,000 people, Wonde fixture at \(latencyMilliseconds) ms a request → directory target, one in-process worker")
        for concurrency in [4, 16, 64] {
            var passed = arguments.filter { $0 == "--quick" || $0 == "--no-write-backs" }
            if let index = arguments.firstIndex(of: "--schools") { passed += arguments[index...].prefix(2) }
            say(try SyncBenchmarks.runChild(["--vendor-night", "--concurrency", String(concurrency)] + passed))
        }
    }


    /// `writeBacks: false` leaves them out, to see the imports' own cost.
    /// `importsLimit` replaces the default queue limit of imports (see JobKinds.defaultQueueLimits).
    /// `handlerThreads` replaces the worker's default (0: no bound, as dispatch pleases).
    static func measure(schools: Int, concurrency: Int, writeBacks: Bool, importsLimit: Int?, handlerThreads: Int?) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-vendornight-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        // 1,000 people: 920 pupils on roll, 2 pre-admissions, 78 staff (and 2 leavers, read, not created).
        let fixture = try await FixtureServer.start(
            "wonde_fixture.py",
            arguments: [
                "--token", token, "--any-school", "--quiet-log", "--cache-pages", "--students", "920", "--employees", "78",
                "--knobs", #"{"latency_ms": \#(latencyMilliseconds)}"#,
            ])
        defer { fixture.stop() }

        let database = root.appendingPathComponent("queue.sqlite").path
        let plugins = PluginRegistry()
        try plugins.register(connector: WondeConnectorPlugin())
        try plugins.register(target: DirectoryTargetPlugin())
        let environment = SyncEnvironment(
            databasePath: database, plugins: plugins, environment: ["VENDOR_TOKEN": token],
            today: { _ in CalendarDate(year: 2026, month: 11, day: 17)! })
        let jobs = try JobStore(path: database)
        let store = try IntegrationStore(connection: jobs.connection)
        let state = root.appendingPathComponent("wonde-state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let ids = (0..<schools).map { String(format: "school%03d", $0) }
        try store.connection.transaction {
            for (n, id) in ids.enumerated() {
                var integration = Integration(id: id, connector: "wonde", target: "directory", now: JobStore.now())
                integration.config = [
                    "school": String(format: "B%010d", 1_000_000 + n), "domain": fixture.baseURL,
                    "db": root.appendingPathComponent("\(id).sqlite").path, "state-dir": state.path,
                ]
                integration.secrets = ["token": .environment("VENDOR_TOKEN")]
                integration.status = .on
                integration.settings.newRecords = .create
                integration.settings.fullImportEvery = 1
                try store.add(integration)
            }
        }

        func newJob(_ kind: String, _ integration: String, payload: String = "{}") -> NewJob {
            let policy = environment.policies.policy(for: kind)!
            return NewJob(
                kind: kind, queue: policy.queue, integration: integration, payload: payload, priority: policy.priority,
                maxAttempts: 1, concurrencyKey: JobKinds.concurrencyKey(kind: kind, integration: integration))
        }
        var configuration = WorkerConfiguration(databasePath: database)
        configuration.concurrency = concurrency
        // As `mislink worker` does: imports leave a quarter of the slots (at least one) for write-back.
        configuration.queueLimits = JobKinds.defaultQueueLimits(concurrency: concurrency)
        if let importsLimit { configuration.queueLimits[JobKinds.importsQueue] = importsLimit }
        if let handlerThreads { configuration.handlerThreads = handlerThreads == 0 ? nil : handlerThreads }
        // The first night (the uploads, which also make the fixture's pages) runs at most 16 imports
        // at once: the fixture builds each page anew under one lock the first time, and 48 uploads
        // asking at once waited past the client's 30 s timeout. The night measured is the next one.
        var uploading = configuration
        uploading.concurrency = min(concurrency, 16)
        uploading.queueLimits = JobKinds.defaultQueueLimits(concurrency: uploading.concurrency)
        let uploader = Worker(configuration: uploading, handlers: SyncHandlers.registry(environment: environment), policies: environment.policies)
        let uploaderRun = Task { try await uploader.run() }
        let uploads = try jobs.enqueue(batch: ids.map { newJob(JobKinds.initialUpload, $0) }).map(\.id)
        let firstNight = try await waitFor(uploads, in: jobs, writeBacks: nil)
        uploader.requestStop()
        _ = try await uploaderRun.value

        let worker = Worker(configuration: configuration, handlers: SyncHandlers.registry(environment: environment), policies: environment.policies)
        let running = Task { try await worker.run() }

        let cpuBefore = processCPUSeconds()
        let fixtureBefore = childCPUSeconds(pid: fixture.process.processIdentifier)
        let imports = try jobs.enqueue(batch: ids.map { newJob(JobKinds.nightlyImport, $0) }).map(\.id)
        let night = try await waitFor(imports, in: jobs, writeBacks: !writeBacks ? nil : { n in
            // A pupil of a school taking its turn: MIS ids start at 5000 in every fixture school.
            newJob(JobKinds.writeBack, ids[n % ids.count], payload: #"{"eventId":"night-\#(n)","studentMisId":"\#(5000 + n % 900)","date":"2026-11-17","session":"AM","code":"L","minutesLate":4}"#)
        })
        let cpu = processCPUSeconds() - cpuBefore
        let fixtureCPU = childCPUSeconds(pid: fixture.process.processIdentifier) - fixtureBefore
        worker.requestStop()
        _ = try await running.value

        var read = 0
        for id in imports {
            let report = try JSONDecoder().decode(ImportReport.self, from: Data((try jobs.job(id: id)!.result ?? "{}").utf8))
            read += report.read + report.contactsRead
        }
        var latencies: [Double] = []
        var waits: [Double] = []
        var runs: [Double] = []
        for id in night.writeBacks {
            let job = try jobs.job(id: id)!
            guard job.state == .succeeded else { fail("write-back \(id): \(job.state) \(job.lastError ?? "")") }
            latencies.append(Double(job.finishedAt! - job.createdAt))
            // Enqueue to claim (waiting for a slot), and claim to delivered (the handler's run).
            waits.append(Double((job.startedAt ?? job.finishedAt!) - job.createdAt))
            runs.append(Double(job.finishedAt! - (job.startedAt ?? job.finishedAt!)))
        }
        latencies.sort()
        waits.sort()
        runs.sort()
        func percentile(_ p: Double, of values: [Double]? = nil) -> Double {
            let values = values ?? latencies
            return values.isEmpty ? .nan : values[min(values.count - 1, Int(Double(values.count - 1) * p))]
        }
        say(String(
            format: "concurrency %2d (imports ≤ %d, handler threads %d): %d schools in %.1f s = %.0f schools/hour, %.0f records/s (%d people and contacts read); first night (initial uploads) %.1f s = %.0f schools/hour; peak %.0f MiB; CPU %.1f s here + %.1f s fixture; %d write-backs p50 %.0f ms, p99 %.0f ms, max %.0f ms (waiting for a slot p50 %.0f / p99 %.0f ms, running p50 %.0f / p99 %.0f ms; %d not sent: %d were waiting)",
            concurrency, configuration.queueLimits[JobKinds.importsQueue] ?? concurrency,
            configuration.handlerThreads ?? 0, schools, night.seconds, Double(schools) / night.seconds * 3600, Double(read) / night.seconds, read,
            firstNight.seconds, Double(schools) / firstNight.seconds * 3600, SyncBenchRun.peakMiB(), cpu, fixtureCPU,
            latencies.count, percentile(0.5), percentile(0.99), latencies.last ?? .nan, percentile(0.5, of: waits),
            percentile(0.99, of: waits), percentile(0.5, of: runs), percentile(0.99, of: runs), night.skipped, backlogLimit))
    }

    /// Waits for `ids` to finish (all must succeed), enqueueing `writeBacks(n)` every 50 ms meanwhile
    /// when given; answers the wall time from now to the last one's end, and the write-backs' ids.
    private static func waitFor(_ ids: [Int64], in jobs: JobStore, writeBacks: ((Int) -> NewJob)?) async throws
        -> (seconds: Double, writeBacks: [Int64], skipped: Int)
    {
        let start = JobStore.now()
        var pending = ids
        var sent: [Int64] = []
        var open: [Int64] = []
        var skipped = 0
        var overrun = false
        var lastCheck = start
        while !pending.isEmpty {
            // Once `backlogLimit` write-backs wait, the worker cannot keep up: waiting write-backs are
            // claimed first (priority 100) and starve the imports, so the night would never end. From
            // then on no more are sent; those not sent are counted.
            if let writeBacks {
                if open.count >= backlogLimit { overrun = true }
                if !overrun {
                    let id = try jobs.enqueue(writeBacks(sent.count + skipped)).id
                    sent.append(id)
                    open.append(id)
                } else {
                    skipped += 1
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            if JobStore.now() - lastCheck >= 500 {
                lastCheck = JobStore.now()
                pending = try pending.filter { try jobs.job(id: $0)?.state.isFinished == false }
                open = try open.filter { try jobs.job(id: $0)?.state.isFinished == false }
            }
        }
        var end = start
        for id in ids {
            let job = try jobs.job(id: id)!
            guard job.state == .succeeded else {
                fail("\(job.kind) \(id) for \(job.integration ?? ""): \(job.state) \(job.lastError ?? "")")
            }
            end = max(end, job.finishedAt!)
        }
        while try sent.contains(where: { try jobs.job(id: $0)?.state.isFinished == false }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        return (Double(end - start) / 1000, sent, skipped)
    }

    /// A release build drops a precondition's message: say what failed, then stop.
    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("mislink-bench --vendor-night: \(message)\n".utf8))
        exit(1)
    }

    /// Write-backs waiting or running past which the next is skipped (see `waitFor`).
    static let backlogLimit = 200

    /// This process's CPU time (user + system) in seconds.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Another process's CPU time (utime + stime from /proc/PID/stat) in seconds.
    private static func childCPUSeconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return .nan }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based), so 11 and 12 here.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Peak resident memory of this process (VmHWM), in MiB.
}
