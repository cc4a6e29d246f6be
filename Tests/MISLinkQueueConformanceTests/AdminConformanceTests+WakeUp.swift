import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkTestSupport
import Testing

/// PostgreSQL's workers sleep until a NOTIFY (SQLite's see every commit): an admin's retry sends one.
@Suite(.enabled(if: TestPostgres.isAvailable)) struct AdminWakeUpTests {
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
}
