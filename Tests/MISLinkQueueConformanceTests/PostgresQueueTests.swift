import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkTestSupport
import PostgresDB
import Testing

/// What only the PostgreSQL back end has: wake-ups by NOTIFY (checklist 11), migrations run by many
/// processes at once (12), and transient failures retried (13).
@Suite(.enabled(if: TestPostgres.isAvailable)) struct PostgresQueueTests {
    @Test("an enqueue wakes listeners once per queue, only after commit, and never after a rollback")
    func wakeUps() throws {
        struct Abort: Error {}
        try TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            let listener = try PostgresConnection(url: url)
            let marker = try PostgresConnection(url: url)
            try listener.listen(PostgresJobStore.wakeUpChannel)

            try store.inTransaction {
                _ = try store.enqueue(jobs: [NewJob(kind: "k", queue: "a"), NewJob(kind: "k", queue: "a"), NewJob(kind: "k", queue: "b")])
                try marker.notify(PostgresJobStore.wakeUpChannel, payload: "marker-1")
                #expect(try heard(on: listener, until: "marker-1") == ["marker-1"])
            }
            #expect(try heard(on: listener, until: "b") == ["a", "b"])

            #expect(throws: Abort.self) {
                try store.inTransaction {
                    _ = try store.enqueue(job: NewJob(kind: "k", queue: "rolled-back"))
                    throw Abort()
                }
            }
            // Scheduled work wakes nobody at enqueue.
            _ = try store.enqueue(job: NewJob(kind: "k", queue: "later", runAt: try store.databaseNow() + 3_600_000))
            try marker.notify(PostgresJobStore.wakeUpChannel, payload: "marker-2")
            #expect(try heard(on: listener, until: "marker-2") == ["marker-2"])
        }
    }

    @Test("migrations from an empty database are versioned, idempotent, and safe from many processes at once")
    func migrations() throws {
        try TestPostgres.withDatabase { url in
            let opened = concurrently(4) { _ in [try PostgresJobStore(url: url).schemaVersion()] }
            #expect(opened.errors.isEmpty, "\(opened.errors)")
            #expect(opened.all.count == 4)
            #expect(opened.all.allSatisfy { $0.found == $0.latest && $0.latest >= 1 })
            let db = try PostgresConnection(url: url)
            let rows = try db.execute("SELECT version FROM mislink_queue_migrations ORDER BY version").rows
            #expect(try rows.map { try $0.int64(0) } == Array(1...Int64(opened.all[0].latest)))
        }
    }

    @Test("a store whose connection the server dropped reconnects and carries on, losing nothing")
    func connectionLoss() throws {
        try TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            let admin = try PostgresConnection(url: url)
            let id = try store.enqueue(job: NewJob(kind: "k")).id
            // Every session but the admin's, so the store's own connection goes.
            try admin.execute(
                "SELECT pg_terminate_backend(pid, 60000) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            let claimed = try store.claim("w", limit: 1)
            #expect(claimed.map(\.id) == [id])
            #expect(try store.state(id) == .running)
        }
    }
}

/// The payloads heard on `connection` up to and including `payload` (60 s at most).
private func heard(on connection: PostgresConnection, until payload: String) throws -> [String] {
    var seen: [String] = []
    let deadline = Date().addingTimeInterval(60)
    while !seen.contains(payload) && Date() < deadline {
        seen += try connection.notifications(timeout: 5).map(\.payload)
    }
    return seen
}

/// Checklist 14: the database's clock decides, whatever a worker's clock says.
@Suite(.enabled(if: TestPostgres.isAvailable)) struct PostgresClockTests {
    @Test("a worker whose clock is an hour ahead retries and snoozes by delays on the database's clock")
    func skewedWorker() throws {
        try TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            let retried = try store.enqueue(job: NewJob(kind: "k")).id
            let snoozed = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("w", limit: 2)
            let skewedNow = JobStore.now() + 3_600_000
            _ = try store.exchange(
                ExchangeRequest(
                    completions: [
                        Completion(jobID: retried, outcome: .failed(message: "try again at once", retryAt: skewedNow)),
                        Completion(jobID: snoozed, outcome: .snoozed(until: skewedNow + 600_000)),
                    ], workerID: "w", limit: 0, leaseMilliseconds: 60_000, workerNow: skewedNow))
            let databaseNow = try store.databaseNow()
            let retry = try #require(try store.job(id: retried))
            #expect(retry.state == .retryable)
            #expect(retry.runAt <= databaseNow)
            let snooze = try #require(try store.job(id: snoozed))
            #expect(snooze.state == .scheduled)
            #expect(abs(snooze.runAt - (databaseNow + 600_000)) < 60_000)
            // Due now by the database's clock, so claimed now, not in an hour.
            #expect(try store.claim("w", limit: 2).map(\.id) == [retried])
        }
    }
}

/// Checklist 12: a queue's schema is whatever `search_path` the URL gives, so one database can hold several.
@Suite(.enabled(if: TestPostgres.isAvailable)) struct PostgresSchemaTests {
    @Test("two queues in two schemas of one database stay apart")
    func schemas() throws {
        try TestPostgres.withDatabase { url in
            let admin = try PostgresConnection(url: url)
            try admin.executeScript("CREATE SCHEMA trust_a; CREATE SCHEMA trust_b")
            let first = try PostgresJobStore(url: url + "?options=-c%20search_path%3Dtrust_a")
            let second = try PostgresJobStore(url: url + "?options=-c%20search_path%3Dtrust_b")
            _ = try first.enqueue(jobs: [NewJob(kind: "k"), NewJob(kind: "k")])
            _ = try second.enqueue(job: NewJob(kind: "k"))
            #expect(try first.claim("w", limit: 10).count == 2)
            #expect(try second.claim("w", limit: 10).count == 1)
            let tables = try admin.execute(
                "SELECT table_schema, count(*) FROM information_schema.tables WHERE table_name = 'jobs' GROUP BY 1 ORDER BY 1"
            ).rows.map { try $0.string(0) }
            #expect(tables == ["trust_a", "trust_b"])
        }
    }
}
