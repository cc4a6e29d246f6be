import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// `mislink quickstart`: real work on a local SQLite file, end to end, in a few seconds.
enum QuickstartCommand {
    static let help = """
        Usage: mislink quickstart [--db PATH] [--jobs N]

        Creates (or reuses) a local queue database (default ./mislink-quickstart.sqlite), enqueues a
        batch of noop jobs plus one that fails once and is retried and one that fails for good,
        drains them with a worker at concurrency 4, and prints what happened.
        """

    static func run(_ tokens: [String]) throws -> Int32 {
        var tokens = tokens
        if !tokens.contains(where: { $0 == "--db" || $0.hasPrefix("--db=") }) && ProcessInfo.processInfo.environment["MISLINK_DB"] == nil {
            tokens += ["--db", "./mislink-quickstart.sqlite"]
        }
        guard let (arguments, context) = try parseCommand(tokens, specs: [.option("jobs")], help: help) else { return 0 }
        try arguments.expectPositionals(atMost: 0)
        let count = try arguments.integer("jobs", range: 1...10_000_000) ?? 10_000
        let policies = try context.loadPolicies()
        let store = try context.openStore()
        let noop = policies.policy(for: JobKinds.noop)!
        func job(_ payload: String) -> NewJob {
            NewJob(kind: JobKinds.noop, queue: noop.queue, payload: payload, priority: noop.priority, maxAttempts: noop.maxAttempts)
        }
        let started = Date()
        var batch = (0..<count).map { _ in job("{}") }
        batch.append(job(#"{"fail":"retryable","untilAttempt":2,"note":"fails once, then succeeds"}"#))
        batch.append(job(#"{"fail":"permanent","note":"fails for good"}"#))
        let results = try store.enqueue(batch: batch)
        let enqueueSeconds = Date().timeIntervalSince(started)
        print("database: \(context.databasePath)")
        print("enqueued \(results.count) noop jobs in one transaction (\(Int(enqueueSeconds * 1000)) ms)")

        var configuration = WorkerConfiguration(databasePath: context.databasePath, connection: context.connectionConfiguration)
        configuration.drain = true
        configuration.concurrency = 4
        configuration.log = { level, message in if level >= .warning { WorkerLog.write(level, message) } }
        let worker = Worker(configuration: configuration, handlers: BuiltInHandlers.registry(), policies: policies)
        let drainStart = Date()
        switch BlockingTask.run({ try await worker.run() }) {
        case .failure(let error): throw CLIError.failure("worker stopped: \(error)")
        case .success(let summary):
            let seconds = Date().timeIntervalSince(drainStart)
            print("drained by a worker at concurrency 4 in \(String(format: "%.2f", seconds)) s: \(summary.succeeded) succeeded, \(summary.failedAttempts) failed attempt(s)")
        }
        let stats = try store.stats()
        print("queue now: " + JobState.allCases.map { "\(stats.count(state: $0)) \($0.rawValue)" }.joined(separator: ", "))
        print("""

            Try next:
              mislink jobs failed --db \(context.databasePath)
              mislink jobs show \(results.last!.id) --db \(context.databasePath)
              mislink stats --db \(context.databasePath)
            """)
        return 0
    }
}
