import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import Synchronization
import Testing
import MISLinkTestSupport

/// A real worker on a real queue, on a virtual clock: every reason to wake, seen by when (on that
/// clock) each job ran. No test here sleeps for the time it is about.
@Suite struct WakeUpTests {
    let t0: Int64 = 1_800_000_000_000
    let hour: Int64 = 3_600_000

    /// Policies whose retries wait ten seconds (on the virtual clock).
    private func tenSecondRetries(timeoutMs: Int64 = 86_400_000) -> PolicySet {
        var policies = BuiltInKinds.catalog.defaults
        policies[BuiltInKinds.noop]!.backoff = Backoff(initialMilliseconds: 10_000, maxMilliseconds: 10_000, multiplier: 1, jitter: 0)
        policies[BuiltInKinds.noop]!.timeoutMilliseconds = timeoutMs
        return PolicySet(policies: policies)
    }

    private func worker(_ path: String, clock: VirtualClock, drain: Bool, policies: PolicySet? = nil,
                        handlers: HandlerRegistry = BuiltInHandlers.registry()) -> Worker {
        var configuration = WorkerConfiguration(databasePath: path, drain: drain, clock: clock)
        configuration.pollIntervalMilliseconds = 3_600_000  // only the queue's own answers may wake it
        configuration.leaseMilliseconds = 60_000
        configuration.rescueIntervalMilliseconds = 60_000
        return Worker(configuration: configuration, handlers: handlers, policies: policies ?? tenSecondRetries())
    }

    @Test("defect: a retry that falls due while the worker idles runs at its due time, though a later job is scheduled")
    func ownRetryFallsDue() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let later = try store.enqueue(NewJob(kind: "noop", runAt: t0 + hour), now: t0).id
            let failing = try store.enqueue(NewJob(kind: "noop", payload: #"{"fail":"retryable"}"#, maxAttempts: 3), now: t0).id
            let clock = VirtualClock(start: t0)
            _ = try await worker(path, clock: clock, drain: true).run()
            let job = try #require(try store.job(id: failing))
            #expect(job.state == .failed)
            #expect(job.attempt == 3)
            // Each retry started within moments (on the worker's clock) of falling due, not at the hour.
            let at = job.errors.map(\.at)
            #expect(at.count == 3)
            #expect(at[1] - at[0] >= 10_000 && at[1] - at[0] < 10_050, "\(at)")
            #expect(at[2] - at[1] >= 10_000 && at[2] - at[1] < 10_050, "\(at)")
            #expect(clock.now() < t0 + hour)
            #expect(try store.state(later) == .scheduled, "--drain does not wait for jobs scheduled later")
        }
    }

    @Test("a scheduled job falls due and runs at its time on a worker left running")
    func scheduledJobFallsDue() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop", runAt: t0 + hour), now: t0).id
            let clock = VirtualClock(start: t0)
            let running = worker(path, clock: clock, drain: false)
            let run = Task { try await running.run() }
            try await waitUntil("the scheduled job to run") { try store.state(id) == .succeeded }
            running.requestStop(.immediate)
            _ = try await run.value
            let job = try #require(try store.job(id: id))
            #expect(job.startedAt! >= t0 + hour && job.startedAt! < t0 + hour + 50)
        }
    }

    @Test("a snoozed job runs again when its snooze ends, without spending an attempt")
    func snoozeFallsDue() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let clock = VirtualClock(start: t0)
            let runs = RunCounter()
            let until = Date(timeIntervalSince1970: Double(t0 + 30_000) / 1000)
            let handlers = registry { _, _ in
                if runs.next() == 1 { throw PluginError.snooze(until: until, "remote busy") }
                return nil
            }
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            let running = worker(path, clock: clock, drain: false, handlers: handlers)
            let run = Task { try await running.run() }
            try await waitUntil("the snoozed job to run again") { try store.state(id) == .succeeded }
            running.requestStop(.immediate)
            _ = try await run.value
            let job = try #require(try store.job(id: id))
            #expect(job.state == .succeeded)
            #expect(job.attempt == 1)
            #expect(job.startedAt! >= t0 + 30_000 && job.startedAt! < t0 + 30_050)
        }
    }

    @Test("another process's job wakes an idle worker through data_version")
    func anotherProcessesJob() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            var configuration = WorkerConfiguration(databasePath: path)
            configuration.pollIntervalMilliseconds = 2
            let idle = Worker(configuration: configuration, handlers: BuiltInHandlers.registry(), policies: PolicySet())
            let run = Task { try await idle.run() }
            try await waitUntil("the worker to register") { try !store.workers().isEmpty }
            let id = try store.enqueue(NewJob(kind: "noop")).id
            try await waitUntil("the job to run") { try store.state(id) == .succeeded }
            idle.requestStop(.immediate)
            _ = try await run.value
        }
    }

    @Test("a job whose worker stopped heartbeating is rescued when its lease expires, and runs")
    func expiredLease() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop"), now: t0).id
            _ = try store.claim(workerID: "elsewhere:1:stalled", limit: 1, leaseMilliseconds: 30_000, now: t0)
            let clock = VirtualClock(start: t0)
            let running = worker(path, clock: clock, drain: false)
            let run = Task { try await running.run() }
            try await waitUntil("the rescued job to run") { try store.state(id) == .succeeded }
            running.requestStop(.immediate)
            _ = try await run.value
            let job = try #require(try store.job(id: id))
            #expect(job.attempt == 2)
            #expect(job.errors.first?.message.contains("lease expired") == true)
            #expect(job.startedAt! > t0 + 30_000)
        }
    }

    @Test("a run past its timeout is stopped at the deadline on the worker's clock and retried")
    func timeout() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop", payload: #"{"sleepMs":3600000}"#, maxAttempts: 1), now: t0).id
            let clock = VirtualClock(start: t0)
            let summary = try await worker(path, clock: clock, drain: true, policies: tenSecondRetries(timeoutMs: 120_000)).run()
            #expect(summary.timedOut == 1)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.lastError?.contains("timed out after 2m") == true)
            #expect(job.finishedAt! >= t0 + 120_000 && job.finishedAt! < t0 + 120_050)
        }
    }

    @Test("shutdown: a graceful stop lets a run finish within the grace period; past it, runs are handed back uncharged")
    func shutdownPhases() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop", payload: #"{"sleepMs":3600000}"#), now: t0).id
            let clock = VirtualClock(start: t0)
            let running = worker(path, clock: clock, drain: false)
            let run = Task { try await running.run() }
            try await waitUntil("the job to start") { try store.state(id) == .running }
            running.requestStop(.graceful)
            let summary = try await run.value
            #expect(summary.handedBack == 1)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .available && job.attempt == 0)
        }
    }
}

/// Counts runs across tasks.
final class RunCounter: Sendable {
    private let count = Mutex(0)
    /// The number of this run, from 1.
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
}

extension JobStore {
    func state(_ id: Int64) throws -> JobState? { try job(id: id)?.state }
}
