import MISLinkQueue
import Testing

@Suite struct PauseTests {
    @Test("a paused queue gives no jobs to any claim form; its jobs stay available; other queues are unaffected")
    func claimSkipsPaused() throws {
        try withStore { store, _ in
            let imports = try store.enqueue(NewJob(kind: "nightly-import", queue: "imports", priority: 100), now: t0).id
            let other = try store.enqueue(NewJob(kind: "noop", queue: "default"), now: t0).id
            #expect(try store.pause(queue: "imports", now: t0))
            // Every queue (the shared index), named queues, and every queue less a saturated one.
            #expect(try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0).map(\.id) == [other])
            #expect(try store.claim(workerID: "w", limit: 5, queues: ["imports"], leaseMilliseconds: lease, now: t0).isEmpty)
            let excluding = try store.exchange(
                completions: [], workerID: "w", claim: 5, excludingQueues: ["default"], leaseMilliseconds: lease, now: t0)
            #expect(excluding.claimed.isEmpty)
            #expect(excluding.drained == true)
            #expect(try store.state(imports) == .available)
        }
    }

    @Test("resuming lets the next claim take the queue's jobs again, highest priority first")
    func resumeTakesAgain() throws {
        try withStore { store, _ in
            let low = try store.enqueue(NewJob(kind: "noop", queue: "bulk", priority: 0), now: t0).id
            let high = try store.enqueue(NewJob(kind: "noop", queue: "bulk", priority: 9), now: t0).id
            try store.pause(queue: "bulk", now: t0)
            #expect(try store.claim(workerID: "w", limit: 5, leaseMilliseconds: lease, now: t0).isEmpty)
            #expect(try store.resume(queue: "bulk"))
            #expect(try store.claim(workerID: "w", limit: 5, leaseMilliseconds: lease, now: t0 + 1).map(\.id) == [high, low])
        }
    }

    @Test("a due retry in a paused queue is staged but not claimed, and does not count as runnable for a drain")
    func drainIgnoresPaused() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", queue: "slow"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            try store.complete([Completion(jobID: id, outcome: .failed(message: "x", retryAt: t0 + 10))], workerID: "w", now: t0)
            try store.pause(queue: "slow", now: t0 + 1)
            #expect(try store.hasRunnableWork() == false)
            #expect(try store.hasRunnableWork(queues: ["slow"]) == false)
            #expect(try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0 + 20).isEmpty)
            #expect(try store.state(id) == .available)
            try store.resume(queue: "slow")
            #expect(try store.hasRunnableWork())
        }
    }

    @Test("a running job of a paused queue still completes; pausing twice keeps the first pause time")
    func runningFinishes() throws {
        try withStore { store, _ in
            let id = try store.enqueue(NewJob(kind: "noop", queue: "q"), now: t0).id
            _ = try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0)
            #expect(try store.pause(queue: "q", now: t0 + 1))
            #expect(try store.pause(queue: "q", now: t0 + 2) == false)
            #expect(try store.pausedQueues() == ["q": t0 + 1])
            try store.complete([Completion(jobID: id, outcome: .succeeded(result: nil))], workerID: "w", now: t0 + 3)
            #expect(try store.state(id) == .succeeded)
            #expect(try store.resume(queue: "q"))
            #expect(try store.resume(queue: "q") == false)
            #expect(try store.pausedQueues().isEmpty)
        }
    }

    @Test("a pause committed by another connection is obeyed by the next claim")
    func pauseAcrossConnections() throws {
        try withStore { store, path in
            _ = try store.enqueue(NewJob(kind: "noop", queue: "q"), now: t0)
            let admin = try JobStore(path: path)
            try admin.pause(queue: "q", now: t0)
            #expect(try store.claim(workerID: "w", limit: 1, leaseMilliseconds: lease, now: t0).isEmpty)
        }
    }

    @Test("queue summaries count each pending state per queue and list a paused queue without jobs")
    func summaries() throws {
        try withStore { store, _ in
            _ = try store.enqueue(NewJob(kind: "noop", queue: "a"), now: t0)
            _ = try store.enqueue(NewJob(kind: "noop", queue: "a"), now: t0 + 5)
            _ = try store.enqueue(NewJob(kind: "noop", queue: "a", runAt: t0 + 60_000), now: t0)
            let running = try store.enqueue(NewJob(kind: "noop", queue: "b", maxAttempts: 1), now: t0).id
            let failing = try store.enqueue(NewJob(kind: "noop", queue: "b", maxAttempts: 1), now: t0).id
            _ = try store.claim(workerID: "w", limit: 2, queues: ["b"], leaseMilliseconds: lease, now: t0)
            try store.complete([Completion(jobID: failing, outcome: .failed(message: "x", retryAt: nil))], workerID: "w", now: t0)
            try store.pause(queue: "empty", now: t0)
            let summaries = try store.queueSummaries()
            #expect(summaries.map(\.name) == ["a", "b", "empty"])
            #expect(summaries[0].depth == [.available: 2, .scheduled: 1])
            #expect(summaries[0].oldestAvailableRunAt == t0)
            #expect(summaries[0].isPaused == false)
            #expect(summaries[1].depth == [.running: 1, .failed: 1])
            #expect(try store.state(running) == .running)
            #expect(summaries[2].depth.isEmpty)
            #expect(summaries[2].pausedAt == t0)
        }
    }

    @Test("an empty queue name is refused")
    func badName() throws {
        try withStore { store, _ in
            let error = try #require(throws: QueueError.self) { try store.pause(queue: "") }
            #expect(error.code == .invalidInput)
        }
    }
}
