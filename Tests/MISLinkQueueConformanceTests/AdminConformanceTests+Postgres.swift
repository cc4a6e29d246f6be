import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkTestSupport
import Testing

/// What PostgreSQL's admin does beyond SQLite's: its retry sends a wake-up (SQLite's workers see
/// every commit), and its walk runs inside a caller's transaction (SQLite's transactions do not nest).
@Suite(.enabled(if: TestPostgres.isAvailable)) struct AdminPostgresTests {
    @Test("a retried job wakes its queue's workers when the retry commits, and not before")
    func retryWakes() throws {
        try TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            let failed = try store.failedJob(queue: "imports")
            let wakeUps = try PostgresWakeUps(url: url)
            struct Stop: Error {}
            do {
                try store.inTransaction {
                    try store.retryJob(id: failed, extraAttempts: 1, now: 0)
                    throw Stop()
                }
            } catch is Stop {}
            #expect(try wakeUps.wait(timeout: 0) == .timedOut, "a rolled-back retry wakes no one")
            try store.retryJob(id: failed, extraAttempts: 1, now: 0)
            #expect(try waitForQueues(wakeUps) == ["imports"])
        }
    }

    @Test("inside the caller's transaction each chunk is a savepoint: a throw undoes that chunk only")
    func chunksInsideATransaction() throws {
        try TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            let ids = try (0..<3).map { _ in try store.failedJob() }
            struct Stop: Error {}
            try store.inTransaction {
                do {
                    try store.forEachChunk(of: .ids(ids), chunkSize: 1) { chunk in
                        #expect(try store.discardJobs(ids: chunk).isEmpty)
                        if chunk == [ids[1]] { throw Stop() }
                    }
                    Issue.record("the walk should have thrown")
                } catch is Stop {}
            }
            #expect(try store.job(id: ids[0]) == nil, "the first chunk committed with the caller's transaction")
            #expect(try store.state(ids[1]) == .failed, "the failing chunk was rolled back to its savepoint")
            #expect(try store.state(ids[2]) == .failed, "the walk stopped")
        }
    }
}
