import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// Policies with quick backoff and short timeouts so retries are seen in milliseconds.
func quickPolicies(timeoutMs: Int64 = 60_000, maxAttempts: Int = 3) -> PolicySet {
    var policies = BuiltInKinds.catalog.defaults
    for kind in policies.keys {
        policies[kind]!.backoff = Backoff(initialMilliseconds: 10, maxMilliseconds: 50, multiplier: 2, jitter: 0)
        policies[kind]!.timeoutMilliseconds = timeoutMs
        policies[kind]!.maxAttempts = maxAttempts
    }
    return PolicySet(policies: policies)
}

func makeWorker(
    path: String, handlers: HandlerRegistry = BuiltInHandlers.registry(), policies: PolicySet = quickPolicies(),
    concurrency: Int = 4, drain: Bool = true, graceMs: Int64 = 5_000, queueLimits: [String: Int] = [:],
    clock: any WorkerClock = SystemClock()
) -> Worker {
    var configuration = WorkerConfiguration(databasePath: path)
    configuration.concurrency = concurrency
    configuration.drain = drain
    configuration.shutdownGraceMilliseconds = graceMs
    configuration.leaseMilliseconds = 2_000
    configuration.queueLimits = queueLimits
    configuration.clock = clock
    return Worker(configuration: configuration, handlers: handlers, policies: policies)
}

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Waits until `condition` holds, checking often; fails after `timeout` seconds.
func waitUntil(_ what: String, timeout: Double = 60, _ condition: () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try !condition() {
        guard Date() < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A handler that runs the closure it is given.
struct ClosureHandler: JobHandler {
    let body: @Sendable (ClaimedJob, JobContext) async throws -> String?
    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        JobResult(json: try await body(job, context))
    }
}

func registry(_ kind: String = "noop", _ body: @escaping @Sendable (ClaimedJob, JobContext) async throws -> String?)
    -> HandlerRegistry
{
    let registry = HandlerRegistry()
    registry.register(kind, ClosureHandler(body: body))
    return registry
}
