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
                        handlers: HandlerRegistry = BuiltInHandlers.registry(), rescueEvery: Int64 = 86_400_000) -> Worker {
        var configuration = WorkerConfiguration(databasePath: path, drain: drain, clock: clock)
        configuration.pollIntervalMilliseconds = 3_600_000  // only the queue's own answers may wake it
        configuration.leaseMilliseconds = 86_400_000
        configuration.rescueIntervalMilliseconds = rescueEvery
        let worker = Worker(configuration: configuration, handlers: handlers, policies: policies ?? tenSecondRetries())
        clock.watch(worker)
        return worker
    }

    @Test("defect: a retry that falls due while the worker idles runs at its due time, though a later job is scheduled")
    func ownRetryFallsDue() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let later = try store.enqueue(NewJob(kind: "noop", runAt: t0 + hour), now: t0).id
            let failing = try store.enqueue(NewJob(kind: "noop", maxAttempts: 3), now: t0).id
            let clock = VirtualClock(start: t0, queue: path)
            let starts = Recorded<Int64>()
            let handlers = registry { job, _ in
                guard job.id == failing else { return nil }
                starts.append(try claimedAt(job.id, in: path))
                throw PluginError.retryable("remote down")
            }
            _ = try await worker(path, clock: clock, drain: true, handlers: handlers).run()
            let job = try #require(try store.job(id: failing))
            #expect(job.state == .failed)
            #expect(job.attempt == 3)
            // Each retry started within moments (on the worker's clock) of falling due, not at the hour.
            let failedAt = job.errors.map(\.at)
            let startedAt = starts.all
            #expect(failedAt.count == 3 && startedAt.count == 3)
            for n in 1..<min(3, startedAt.count) {
                let wait = startedAt[n] - failedAt[n - 1]
                #expect(wait >= 10_000 && wait < 10_050, "retry \(n) started \(wait) ms after the failure")
            }
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
            let clock = VirtualClock(start: t0, queue: path)
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
            let clock = VirtualClock(start: t0, queue: path)
            let starts = Recorded<Int64>()
            let until = Date(timeIntervalSince1970: Double(t0 + 30_000) / 1000)
            let handlers = registry { job, _ in
                starts.append(try claimedAt(job.id, in: path))
                if starts.all.count == 1 { throw PluginError.snooze(until: until, "remote busy") }
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
            #expect(starts.all.count == 2)
            #expect(starts.all.last.map { $0 >= t0 + 30_000 && $0 < t0 + 30_050 } == true, "\(starts.all)")
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
            let clock = VirtualClock(start: t0, queue: path)
            let running = worker(path, clock: clock, drain: false, rescueEvery: 60_000)
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
            let clock = VirtualClock(start: t0, queue: nil)
            let summary = try await worker(path, clock: clock, drain: true, policies: tenSecondRetries(timeoutMs: 120_000)).run()
            #expect(summary.timedOut == 1)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.lastError?.contains("timed out after 2m") == true)
            #expect(job.finishedAt! >= t0 + 120_000 && job.finishedAt! < t0 + 120_050)
        }
    }

    @Test("shutdown: a graceful stop lets a short run finish and claims nothing; a second request hands the rest back uncharged")
    func shutdownPhases() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let long = try store.enqueue(NewJob(kind: "noop", payload: #"{"sleepMs":3600000}"#)).id
            let short = try store.enqueue(NewJob(kind: "noop", payload: #"{"sleepMs":50}"#)).id
            // The real clock: this is about what happens to real runs inside the grace period. The grace
            // is long, so the short run's finishing never races it; a second request ends it.
            let running = makeWorker(path: path, drain: false, graceMs: 600_000)
            let run = Task { try await running.run() }
            // "Both running" may pass unseen (the short run takes 50 ms, and this test may look late on a
            // loaded machine): wait for the long one running and the short one started.
            try await waitUntil("both jobs to start") {
                try store.state(long) == .running && store.job(id: short)?.startedAt != nil
            }
            running.requestStop(.graceful)
            try await waitUntil("the short run to finish inside the grace period") { try store.state(short) == .succeeded }
            #expect(try store.state(long) == .running, "still running: the grace period is not over")
            running.requestStop(.immediate)
            let summary = try await run.value
            #expect(summary.handedBack == 1)
            let job = try #require(try store.job(id: long))
            #expect(job.state == .available && job.attempt == 0)
        }
    }
}

extension JobStore {
    func state(_ id: Int64) throws -> JobState? { try job(id: id)?.state }
}

/// When (on the worker's clock) the current run of a job was claimed: exact, whatever the real
/// delay before its handler's task got going.
func claimedAt(_ id: Int64, in path: String) throws -> Int64 {
    try JobStore(path: path).job(id: id)?.startedAt ?? -1
}
