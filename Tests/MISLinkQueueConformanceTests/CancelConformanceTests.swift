import MISLinkQueue
import Testing

/// Checklist 4 and 8: an admin's cancel, of a waiting job and of a running one.
@Suite struct CancelConformanceTests {
    @Test("a waiting job is cancelled at once; a running one by its worker, told at its next renewal", arguments: Backend.available)
    func cancel(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let waiting = try store.enqueue(job: NewJob(kind: "k", runAt: try backendNow(store) + 3_600_000)).id
            let running = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("w", limit: 5)

            #expect(try store.cancelJob(id: waiting) == .cancelled)
            let cancelled = try #require(try store.job(id: waiting))
            #expect(cancelled.state == .cancelled)
            #expect(cancelled.errors.map(\.message) == ["cancelled by an admin"])
            #expect(cancelled.finishedAt != nil)

            let admin = try fixture.open()
            #expect(try admin.cancelJob(id: running) == .requested)
            #expect(try store.state(running) == .running)
            #expect(try store.renewLeases(workerID: "w", leaseMilliseconds: 60_000).cancelRequested == [running])
            // Whatever the run then reports as a failure lands as cancelled.
            try store.complete("w", [Completion(jobID: running, outcome: .failed(message: "stopped: cancelled", retryAt: try backendNow(store)))])
            #expect(try store.state(running) == .cancelled)

            let finished = try #require(throws: QueueError.self) { try store.cancelJob(id: running) }
            #expect(finished.code == .invalidState)
            let missing = try #require(throws: QueueError.self) { try store.cancelJob(id: 987_654) }
            #expect(missing.code == .notFound)
        }
    }

    @Test("bookkeeping's call-off cancels only a waiting job, in the caller's transaction, counted and with its reason; a running, finished or missing one is left as it is", arguments: Backend.available)
    func cancelWaiting(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let later = try store.enqueue(job: NewJob(kind: "k", runAt: try backendNow(store) + 3_600_000)).id
            let running = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("w", limit: 5)
            func callOff(_ id: Int64) throws -> Bool {
                try store.inTransaction { try store.transactionHandle.cancelWaiting(id, reason: "called off: back in the MIS", now: try backendNow(store)) }
            }

            // Rolled back with the transaction that called it off.
            struct Undo: Error {}
            #expect(throws: Undo.self) {
                try store.inTransaction {
                    _ = try store.transactionHandle.cancelWaiting(later, reason: "called off", now: try backendNow(store))
                    throw Undo()
                }
            }
            #expect(try store.state(later) == .scheduled)

            #expect(try callOff(later))
            let cancelled = try #require(try store.job(id: later))
            #expect(cancelled.state == .cancelled)
            #expect(cancelled.lastError == "called off: back in the MIS")
            #expect(cancelled.errors.map(\.message) == ["called off: back in the MIS"])
            #expect(try store.jobMetrics().value(JobMetrics.cancelled, kind: "k", queue: "default") == 1)

            #expect(try !callOff(running))
            #expect(try store.state(running) == .running)
            #expect(try !callOff(later), "already cancelled")
            #expect(try !callOff(987_654))
            #expect(try store.jobMetrics().value(JobMetrics.cancelled, kind: "k", queue: "default") == 1)
        }
    }
}
