import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkTestSupport
import PostgresDB
import Testing

/// A worker's wake-ups on PostgreSQL (checklist 11): heard after commit, caught up after a reconnect.
@Suite(.enabled(if: TestPostgres.isAvailable)) struct PostgresWakeUpTests {
    @Test("an idle worker is woken with the queue that got work, on its own connection")
    func woken() throws {
        try TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            let wakeUps = try PostgresWakeUps(url: url)
            _ = try store.enqueue(job: NewJob(kind: "k", queue: "imports"))
            #expect(try waitForQueues(wakeUps) == ["imports"])
            #expect(try wakeUps.wait(timeout: 0) == .timedOut)
        }
    }

    @Test("a listener whose connection dropped reconnects, says to catch up, and hears again")
    func catchUpAfterReconnect() throws {
        try TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            let admin = try PostgresConnection(url: url)
            let wakeUps = try PostgresWakeUps(url: url, configuration: .init(applicationName: "mislink-wake-ups"))
            try admin.execute(
                "SELECT pg_terminate_backend(pid, 60000) FROM pg_stat_activity WHERE application_name = 'mislink-wake-ups' AND datname = current_database()")
            // Sent while it was down: lost, which is why it must catch up.
            _ = try store.enqueue(job: NewJob(kind: "k", queue: "missed"))
            #expect(try wakeUps.wait(timeout: 60) == .catchUp)
            _ = try store.enqueue(job: NewJob(kind: "k", queue: "heard"))
            #expect(try waitForQueues(wakeUps) == ["heard"])
        }
    }

    @Test("poll-only mode opens no connection and each wait lasts its timeout")
    func pollOnly() throws {
        let wakeUps = try PostgresWakeUps(url: "postgresql://nobody@127.0.0.1:1/none", mode: .pollOnly)
        #expect(try wakeUps.wait(timeout: 0) == .timedOut)
    }
}

/// The queues of the first wake-up that names some (60 s at most).
func waitForQueues(_ wakeUps: PostgresWakeUps) throws -> Set<String> {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
        if case .queues(let queues) = try wakeUps.wait(timeout: 5) { return queues }
    }
    return []
}
