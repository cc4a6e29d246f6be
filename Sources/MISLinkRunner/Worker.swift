import Foundation
import MISLinkKit
import MISLinkQueue

/// A worker: claims jobs from the queue, runs each with the handler for its kind, and reports back.
///
/// The claim-and-complete loop runs on a thread of its own that owns the SQLite connection, so no
/// blocking call lands on Swift's cooperative pool; job handlers run as tasks on that pool.
public final class Worker: Sendable {
    public let configuration: WorkerConfiguration
    public let handlers: HandlerRegistry
    public let policies: PolicySet
    public let id: String
    let signals = WorkerSignals()
    let scrubber = SecretScrubber()

    /// Every kind `handlers` runs should have a policy in `policies` (its timeout and backoff); a kind
    /// without one runs under `noop`'s, and the worker says so when it starts.
    public init(configuration: WorkerConfiguration, handlers: HandlerRegistry, policies: PolicySet = PolicySet()) {
        precondition(configuration.concurrency >= 1, "concurrency must be at least 1")
        self.configuration = configuration
        self.handlers = handlers
        self.policies = policies
        self.id = ProcessIdentity.newWorkerID()
    }

    /// Runs until stopped (or, with `drain`, until nothing is left to do).
    public func run() async throws -> WorkerSummary {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { [self] in
                do {
                    let loop = try WorkerLoop(worker: self)
                    continuation.resume(returning: try loop.run())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "mislink-worker"
            thread.start()
        }
    }

    /// Asks the worker to stop: `.graceful` lets running jobs finish within the grace period,
    /// `.immediate` hands them back at once. Safe to call from any thread or signal handler task.
    public func requestStop(_ request: StopRequest = .graceful) {
        signals.requestStop(request)
    }

    /// Names secret values to scrub from every error message and log line this worker writes.
    public func declareSecrets(_ values: [String]) { scrubber.add(values) }
}
