import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB
import Testing

/// Write-back once per event, checked at the connector: the csv connector deduplicates by itself,
/// so a test through it cannot see a handler that calls it twice. This one counts the calls.
@Suite struct WriteBackOnceTests {
    private static let event = "gate-2026-11-27-0001"
    private static let payload =
        #"{"eventId":"\#(event)","studentMisId":"M1","date":"2026-11-27","session":"AM","code":"L","minutesLate":12}"#

    private func fixture(_ counter: WriteCounter) throws -> SyncFixture {
        let school = try SyncFixture(connector: CountingCSVPlugin(counter: counter))
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration()
        return school
    }

    /// Enqueues a write-back of the event under its own unique key and drains the queue.
    private func send(_ school: SyncFixture, uniqueKey: String) async throws -> Job {
        let policy = try #require(school.environment.policies.policy(for: "write-back"))
        let id = try school.jobs.enqueue(
            NewJob(
                kind: "write-back", queue: policy.queue, integration: "oak", payload: Self.payload,
                priority: policy.priority, maxAttempts: 1, uniqueKey: uniqueKey)
        ).id
        try await school.drain()
        return try #require(try school.jobs.job(id: id))
    }

    @Test("a second job for the same event, under another unique key, does not call the connector again")
    func secondJob() async throws {
        let counter = WriteCounter()
        let school = try fixture(counter)
        let first = try await send(school, uniqueKey: "write-back:a")
        #expect(first.state == .succeeded, "\(first.lastError ?? "")")
        #expect(first.result?.contains(#""result":"written""#) == true)
        let second = try await send(school, uniqueKey: "write-back:b")
        #expect(second.state == .succeeded)
        #expect(second.result?.contains("already-written") == true)
        #expect(counter.count(Self.event) == 1)
        #expect(counter.total == 1)
    }

    @Test("running the same job again after it succeeded, as an at-least-once redelivery would, does not call the connector again")
    func sameJobAgain() async throws {
        let counter = WriteCounter()
        let school = try fixture(counter)
        let job = try await send(school, uniqueKey: "write-back:a")
        #expect(job.state == .succeeded)
        // Deliver the finished job once more: the queue's own API never re-runs a succeeded job, so
        // the row is put back by hand, on a connection of the test's own.
        let connection = try Connection(path: school.databasePath)
        _ = try connection.run(
            "UPDATE jobs SET state = 'available', finished_at = NULL, max_attempts = attempt + 1 WHERE id = ?", [job.id])
        try await school.drain()
        let again = try #require(try school.jobs.job(id: job.id))
        #expect(again.state == .succeeded)
        #expect(again.result?.contains("already-written") == true)
        #expect(counter.count(Self.event) == 1)
    }

    @Test("a different event is written: the check is per event, not per integration")
    func otherEvent() async throws {
        let counter = WriteCounter()
        let school = try fixture(counter)
        _ = try await send(school, uniqueKey: "write-back:a")
        let other = Self.payload.replacingOccurrences(of: Self.event, with: "gate-2026-11-27-0002")
        let job = try await school.run("write-back", payload: other)
        #expect(job.state == .succeeded)
        #expect(counter.count("gate-2026-11-27-0002") == 1)
        #expect(counter.total == 2)
    }
}
