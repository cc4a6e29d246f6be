import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB
import Testing

@Suite struct BulkAdminTests {
    /// `count` failed noop jobs, written in one batch and failed by SQL (as a worker would leave them).
    private func failedJobs(_ school: SyncFixture, count: Int) throws -> [Int64] {
        let jobs = try school.jobs
        let ids = try jobs.enqueue(batch: (0..<count).map { _ in NewJob(kind: "noop", maxAttempts: 1) }).map(\.id)
        try jobs.connection.run("UPDATE jobs SET state = 'failed', attempt = 1, finished_at = 1 WHERE state = 'available'")
        return ids
    }

    @Test("a bulk retry over several chunks retries every matching job, each with a fresh set of attempts")
    func severalChunks() throws {
        let school = try SyncFixture()
        let ids = try failedJobs(school, count: JobStore.bulkChunkSize * 2 + 7)
        let admin = JobAdmin(environment: school.environment)
        let count = try admin.count(matching: JobFilter(states: [.failed]))
        #expect(count.count == ids.count)
        let report = try admin.retry(.matching(JobFilter(states: [.failed]), upToID: count.upToID))
        #expect(report.acted == ids.count)
        #expect(report.refusedCount == 0)
        let jobs = try school.jobs
        #expect(try jobs.count(matching: JobFilter(states: [.available])).count == ids.count)
        #expect(try jobs.job(id: ids[0])?.maxAttempts == 1 + (school.environment.policies.policy(for: "noop")?.maxAttempts ?? 1))
    }

    @Test("two failed jobs with one unique key: the older is retried, the newer refused as a single retry would be")
    func uniqueKeyRefusal() throws {
        let school = try SyncFixture()
        // Both failed, so both could hold the key once; a retry makes one pending, and the other must wait.
        let jobs = try school.jobs
        let first = try jobs.enqueue(NewJob(kind: "noop", maxAttempts: 1, uniqueKey: "k")).id
        try jobs.connection.run("UPDATE jobs SET state = 'failed' WHERE id = ?", [first])
        let second = try jobs.enqueue(NewJob(kind: "noop", maxAttempts: 1, uniqueKey: "k")).id
        try jobs.connection.run("UPDATE jobs SET state = 'failed' WHERE id = ?", [second])
        let report = try JobAdmin(environment: school.environment).retry(.ids([second, first]))
        #expect(report.acted == 1)
        #expect(report.refused.map(\.id) == [second])
        #expect(report.refused.first?.reason.contains("already pending") == true)
        #expect(try [first, second].map { try jobs.job(id: $0)?.state } == [.available, .failed])
    }

    @Test("a report lists at most its bound of refusals but counts them all")
    func boundedRefusals() throws {
        let school = try SyncFixture()
        let extra = 5
        let ids = try (0..<(BulkReport.listedRefusals + extra)).map { Int64(1_000_000 + $0) }
        let report = try JobAdmin(environment: school.environment).discard(.ids(ids))
        #expect(report.acted == 0)
        #expect(report.refusedCount == ids.count)
        #expect(report.refused.count == BulkReport.listedRefusals)
        #expect(report.refused.first?.reason.contains("does not exist") == true)
    }
}
