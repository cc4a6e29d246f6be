import Dispatch
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import Synchronization
import Testing
import MISLinkTestSupport

@Suite struct WorkerTests {
    @Test("a draining worker runs every available job and exits")
    func drains() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            _ = try store.enqueue(batch: (0..<300).map { _ in NewJob(kind: "noop") })
            let summary = try await makeWorker(path: path).run()
            #expect(summary.succeeded == 300)
            #expect(try store.stats().count(state: .succeeded) == 300)
            #expect(try store.workers().isEmpty)
        }
    }

    @Test("a retryable failure is retried after its backoff and then succeeds, its error kept")
    func retriesThenSucceeds() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop", payload: #"{"fail":"retryable","untilAttempt":3}"#, maxAttempts: 3)).id
            _ = try await makeWorker(path: path).run()
            let job = try #require(try store.job(id: id))
            #expect(job.state == .succeeded)
            #expect(job.attempt == 3)
            #expect(job.errors.map(\.attempt) == [1, 2])
            #expect(job.errors[1].at - job.errors[0].at >= 10)
        }
    }

    @Test("a permanent failure fails at once; attempts run out on a retryable one")
    func failures() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let permanent = try store.enqueue(NewJob(kind: "noop", payload: #"{"fail":"permanent"}"#, maxAttempts: 3)).id
            let retryable = try store.enqueue(NewJob(kind: "noop", payload: #"{"fail":"retryable"}"#, maxAttempts: 2)).id
            _ = try await makeWorker(path: path).run()
            let p = try #require(try store.job(id: permanent))
            #expect(p.state == .failed && p.attempt == 1)
            let r = try #require(try store.job(id: retryable))
            #expect(r.state == .failed && r.attempt == 2 && r.errors.count == 2)
        }
    }

    @Test("a run longer than its kind's timeout is cancelled and counted as a retryable failure")
    func timeout() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop", payload: #"{"sleepMs":60000}"#, maxAttempts: 2)).id
            let summary = try await makeWorker(path: path, policies: quickPolicies(timeoutMs: 100)).run()
            #expect(summary.timedOut == 2)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.errors.allSatisfy { $0.message.contains("timed out after 100ms") })
        }
    }

    @Test("a handler that hangs and ignores cancellation still times out and frees its slot")
    func hangingHandler() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let hang = try store.enqueue(NewJob(kind: "noop", maxAttempts: 1)).id
            let after = try store.enqueue(NewJob(kind: "rematch", priority: -1, maxAttempts: 1)).id
            let handlers = HandlerRegistry()
            // Waits 1.5 s without looking at cancellation (and without blocking a thread of the pool,
            // which would starve the other tests running beside it).
            handlers.register("noop", ClosureHandler { _, _ in
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) { continuation.resume() }
                }
                return nil
            })
            handlers.register("rematch", ClosureHandler { _, _ in nil })
            var policies = quickPolicies(timeoutMs: 30_000).policies
            policies["noop"]!.timeoutMilliseconds = 200
            _ = try await makeWorker(path: path, handlers: handlers, policies: PolicySet(policies: policies), concurrency: 1).run()
            #expect(try store.job(id: hang)?.state == .failed)
            #expect(try store.job(id: hang)?.lastError?.contains("timed out") == true)
            #expect(try store.job(id: after)?.state == .succeeded)
        }
    }

    @Test("on a graceful stop a job that finishes within the grace period succeeds")
    func gracefulStopFinishes() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop", payload: #"{"sleepMs":300}"#)).id
            let worker = makeWorker(path: path, drain: false, graceMs: 10_000)
            let run = Task { try await worker.run() }
            // Started, not "running": a 300 ms run may end before a test on a loaded machine looks.
            try await waitUntil("the job to start") { try store.job(id: id)?.startedAt != nil }
            worker.requestStop()
            let summary = try await run.value
            #expect(summary.succeeded == 1)
            #expect(try store.job(id: id)?.state == .succeeded)
        }
    }

    @Test("on a stop a job still running after the grace period is handed back without an attempt charged")
    func gracefulStopHandsBack() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop", payload: #"{"sleepMs":60000}"#)).id
            let queued = try store.enqueue(NewJob(kind: "noop", priority: -1)).id
            let worker = makeWorker(path: path, concurrency: 1, drain: false, graceMs: 100)
            let run = Task { try await worker.run() }
            try await waitUntil("the job to start") { try store.job(id: id)?.state == .running }
            worker.requestStop()
            let summary = try await run.value
            #expect(summary.handedBack == 1)
            let job = try #require(try store.job(id: id))
            #expect(job.state == .available)
            #expect(job.attempt == 0)
            #expect(try store.job(id: queued)?.state == .available)
        }
    }

    @Test("an admin's cancel reaches a running job at the next heartbeat")
    func cancelRunning() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop", payload: #"{"sleepMs":60000}"#)).id
            var configuration = WorkerConfiguration(databasePath: path)
            configuration.leaseMilliseconds = 150
            let worker = Worker(configuration: configuration, handlers: BuiltInHandlers.registry(), policies: quickPolicies(timeoutMs: 60_000))
            let run = Task { try await worker.run() }
            try await waitUntil("the job to start") { try store.job(id: id)?.state == .running }
            #expect(try store.cancel(id: id) == .requested)
            try await waitUntil("the job to be cancelled") { try store.job(id: id)?.state == .cancelled }
            worker.requestStop()
            #expect(try await run.value.cancelled == 1)
        }
    }

    @Test("an idle worker notices a job enqueued by another connection within moments")
    func noticesNewWork() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let worker = makeWorker(path: path, drain: false)
            let run = Task { try await worker.run() }
            try await waitUntil("the worker to register") { try !store.workers().isEmpty }
            let enqueuedAt = JobStore.now()
            let id = try store.enqueue(NewJob(kind: "noop")).id
            try await waitUntil("the job to run") { try store.job(id: id)?.state == .succeeded }
            let started = try #require(try store.job(id: id)?.startedAt)
            #expect(started - enqueuedAt < 500)
            worker.requestStop()
            _ = try await run.value
        }
    }

    @Test("a kind with no handler fails permanently, naming the kind")
    func noHandler() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "rematch")).id
            _ = try await makeWorker(path: path).run()
            let job = try #require(try store.job(id: id))
            #expect(job.state == .failed)
            #expect(job.lastError?.contains("no handler for job kind 'rematch'") == true)
        }
    }

    @Test("a secret a handler declared never reaches the job's errors")
    func secretsScrubbed() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 1)).id
            let handlers = registry { _, context in
                context.declareSecrets(["S3cr3t-Passw0rd"])
                throw PluginError.permanent("login refused for password S3cr3t-Passw0rd at https://mis.example")
            }
            _ = try await makeWorker(path: path, handlers: handlers).run()
            let job = try #require(try store.job(id: id))
            #expect(job.lastError == "login refused for password (secret) at https://mis.example")
            #expect(!job.errors.contains { $0.message.contains("S3cr3t") })
        }
    }

    @Test("a snooze puts the job back for later without spending an attempt")
    func snooze() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop")).id
            let handlers = registry { _, _ in throw PluginError.snooze(until: Date().addingTimeInterval(3600), "MIS busy") }
            _ = try await makeWorker(path: path, handlers: handlers).run()
            let job = try #require(try store.job(id: id))
            #expect(job.state == .scheduled)
            #expect(job.attempt == 0)
        }
    }

    @Test("progress a handler reports is kept on the job while it runs")
    func progress() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let id = try store.enqueue(NewJob(kind: "noop")).id
            let release = Mutex(false)
            let handlers = registry { _, context in
                context.plugin.report(.init(done: 40, total: 100, message: "pupils"))
                while !release.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                return nil
            }
            let worker = makeWorker(path: path, handlers: handlers, drain: true)
            let run = Task { try await worker.run() }
            try await waitUntil("progress to be stored") { try store.job(id: id)?.progress?.contains("\"done\":40") == true }
            release.withLock { $0 = true }
            _ = try await run.value
        }
    }

    @Test("claim-ahead never runs more jobs at once than the concurrency, and hands back uncharged what waits too long")
    func claimAhead() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            // Short jobs switch claim-ahead on; one slow job then keeps the buffered ones waiting past the hold.
            _ = try store.enqueue(batch: (0..<200).map { _ in NewJob(kind: "noop", priority: 1) })
            let slow = try store.enqueue(NewJob(kind: "rematch", priority: 1)).id
            _ = try store.enqueue(batch: (0..<100).map { _ in NewJob(kind: "noop") })
            let running = Mutex((now: 0, max: 0))
            let handlers = HandlerRegistry()
            let body: @Sendable (ClaimedJob, JobContext) async throws -> String? = { job, _ in
                running.withLock { $0.now += 1; $0.max = max($0.max, $0.now) }
                if job.id == slow { try await Task.sleep(for: .milliseconds(300)) }
                running.withLock { $0.now -= 1 }
                return nil
            }
            handlers.register("noop", ClosureHandler(body: body))
            handlers.register("rematch", ClosureHandler(body: body))
            var configuration = WorkerConfiguration(databasePath: path)
            configuration.concurrency = 1
            configuration.drain = true
            let summary = try await Worker(configuration: configuration, handlers: handlers, policies: quickPolicies()).run()
            #expect(summary.succeeded == 301)
            #expect(summary.returnedUnstarted > 0, "the slow job should have kept claimed-ahead jobs waiting past the hold")
            #expect(running.withLock { $0.max } == 1)
            let jobs = try store.jobs(matching: JobFilter(limit: 1_000))
            #expect(jobs.allSatisfy { $0.state == .succeeded && $0.attempt == 1 && $0.errors.isEmpty })
        }
    }

    @Test("imports never take every slot: a write-back starts while long imports wait their turn")
    func importsLeaveASlot() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let imports = try store.enqueue(batch: (0..<3).map { _ in
                NewJob(kind: "noop", queue: "imports", payload: #"{"sleepMs":60000}"#, priority: 50)
            }).map(\.id)
            let worker = makeWorker(path: path, concurrency: 2, drain: false, graceMs: 100, queueLimits: ["imports": 1])
            let run = Task { try await worker.run() }
            try await waitUntil("an import to start") { try store.stats().count(state: .running) >= 1 }
            let writeBack = try store.enqueue(NewJob(kind: "noop", queue: "write-back", priority: 100)).id
            try await waitUntil("the write-back to run") { try store.job(id: writeBack)?.state == .succeeded }
            let running = try imports.filter { try store.job(id: $0)?.state == .running }
            #expect(running.count == 1)
            worker.requestStop(.immediate)
            _ = try await run.value
            for id in imports {
                let job = try #require(try store.job(id: id))
                #expect(job.state == .available && job.attempt == 0, "job \(id): \(job.state) attempt \(job.attempt)")
            }
        }
    }
}
