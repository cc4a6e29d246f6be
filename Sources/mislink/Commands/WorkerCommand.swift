import Dispatch
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkConsole
import MISLinkHTTP
import MISLinkSync

/// `mislink worker`.
enum WorkerCommand {
    static let command = Command(
        "worker", summary: "claim and run jobs until stopped",
        details: """
            Claims jobs and runs them until stopped. SIGTERM or SIGINT stops claiming and gives running
            jobs the grace period to finish; what is still running then goes back to the queue without
            being charged an attempt. A second signal hands them back at once. Beside the jobs it enqueues
            each On integration's nightly import at its time (not with --drain).
            """,
        specs: [
            .option("concurrency", "N", "jobs run at once (default 4)"),
            .option("queues", "a,b", "take jobs only from these queues (default: every queue)"),
            .flag("drain", "exit 0 once no job is available or waiting to be retried\n(jobs scheduled for later are not waited for)"),
            .option("lease", "30s", "how long a claimed job stays this worker's without a heartbeat; a worker\nthat dies on this host is noticed at once by its peers, elsewhere after this"),
            .option("grace", "10s", "how long running jobs get to finish on shutdown"),
            .flag("verbose", "log every job, not only failures"),
            .flag("quiet", "log only warnings and errors"),
            LogWriter.spec,
            .option("serve", "HOST:PORT", "also serve the console's API, /metrics and /healthz here (see 'mislink serve')"),
            .repeated("queue-limit", "Q=N", "hold at most N jobs of queue Q at once (repeatable). Default: imports=concurrency\nless a quarter (at least 1), so that slots are always free for write-back however\nmany imports are queued"),
            .option("handler-threads", "N", "threads that run ordinary jobs' handlers at once (default: twice the cores,\nat least 4; 0: one per running job). Urgent jobs (priority 50 and up, write-back)\nrun on threads of their own beside them"),
        ],
        run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let policies = try context.loadPolicies()
        var configuration = WorkerConfiguration(database: context.database, connection: context.connectionConfiguration)
        configuration.concurrency = try arguments.integer("concurrency", range: 1...1024) ?? 4
        if let queues = arguments.value("queues") {
            let names = queues.split(separator: ",").map(String.init)
            guard !names.isEmpty, names.allSatisfy(PlainName.isValid) else {
                throw CLIError.usage("--queues must be comma-separated queue names, not '\(queues)'")
            }
            configuration.queues = names
        }
        configuration.drain = arguments.flag("drain")
        if let threads = try arguments.integer("handler-threads", range: 0...1024) {
            configuration.handlerThreads = threads == 0 ? nil : threads
        }
        if !arguments.all("queue-limit").isEmpty {
            var limits: [String: Int] = [:]
            for text in arguments.all("queue-limit") {
                let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, PlainName.isValid(parts[0]), let limit = Int(parts[1]), limit >= 1 else {
                    throw CLIError.usage("--queue-limit takes QUEUE=N with N of 1 or more, not '\(text)'")
                }
                limits[parts[0]] = limit
            }
            configuration.queueLimits = limits
        } else {
            configuration.queueLimits = JobKinds.defaultQueueLimits(concurrency: configuration.concurrency)
        }
        configuration.leaseMilliseconds = try duration(arguments, "lease") ?? 30_000
        configuration.shutdownGraceMilliseconds = try duration(arguments, "grace") ?? 10_000
        configuration.logEachJob = arguments.flag("verbose")
        let logger = try LogWriter.from(arguments)
        configuration.log = { level, message in logger.write(level, message) }
        let (handlers, environment) = try context.workerJobs(policies: policies)
        let worker = Worker(configuration: configuration, handlers: handlers, policies: policies)
        // The console beside the worker, in this process, when asked: it stops with the worker.
        let console = try arguments.value("serve").map { listen in
            try ServeCommand.startConsole(
                listen: listen, token: try ConsoleToken.loadOrCreate(path: context.defaultTokenPath),
                secureCookies: false, context: context, logger: logger)
        }
        defer { console?.stop() }
        let signalSources = StopSignals.install(log: logger) { request in worker.requestStop(request) }
        // The nightly schedule runs beside the worker (not with --drain: a drain is a one-off), on
        // every worker of every host: each day's import is enqueued once (NightlyScheduler).
        let scheduler = configuration.drain ? nil : environment.map { environment in
            Task.detached { await NightlyScheduler(environment: environment).run(log: { level, message in logger.write(level, message) }) }
        }
        let outcome = BlockingTask.run { try await worker.run() }
        scheduler?.cancel()
        withExtendedLifetime(signalSources) {}
        switch outcome {
        case .success(let summary):
            if context.json {
                context.printJSON([
                    "succeeded": summary.succeeded, "failedAttempts": summary.failedAttempts, "timedOut": summary.timedOut,
                    "cancelled": summary.cancelled, "handedBack": summary.handedBack, "rescued": summary.rescued,
                ])
            }
            return 0
        case .failure(let error):
            throw CLIError.failure("worker stopped: \(error)")
        }
    }

    private static func duration(_ arguments: Arguments, _ name: String) throws(CLIError) -> Int64? {
        guard let text = arguments.value(name) else { return nil }
        guard let ms = DurationText.milliseconds(text), ms > 0 else {
            throw CLIError.usage("--\(name) must be a duration such as 30s or 2m, not '\(text)'")
        }
        return ms
    }
}

/// SIGTERM and SIGINT: the first asks for a graceful stop, the next for an immediate one.
enum StopSignals {
    /// Installs the handlers; keep the returned sources alive for as long as they should fire.
    static func install(
        log: LogWriter = .standard, message: String = "signal received: finishing running jobs",
        onStop: @escaping @Sendable (StopRequest) -> Void
    ) -> [any DispatchSourceSignal] {
        let queue = DispatchQueue(label: "mislink.signals")
        let count = AtomicCounter()
        return [SIGTERM, SIGINT].map { signal in
            // Ignore the default action so that the dispatch source alone sees the signal.
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler {
                let n = count.increment()
                log.write(.info, n == 1 ? message : "second signal: handing running jobs back now")
                onStop(n == 1 ? .graceful : .immediate)
            }
            source.resume()
            return source
        }
    }
}
