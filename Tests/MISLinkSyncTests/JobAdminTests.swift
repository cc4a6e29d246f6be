import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB
import Testing

@Suite struct JobAdminTests {
    /// A job of `kind` for "oak", already failed (as a worker would have left it).
    private func failedJob(_ school: SyncFixture, _ kind: String) throws -> Int64 {
        let jobs = try school.jobs
        let id = try jobs.enqueue(NewJob(kind: kind, integration: "oak", maxAttempts: 1)).id
        try jobs.connection.run("UPDATE jobs SET state = 'failed', attempt = 1, finished_at = 1 WHERE id = ?", [id])
        return id
    }

    @Test("a retry of a nightly import while its integration is in Error is refused, naming the status; the job stays failed")
    func retryFollowsTheRules() throws {
        let school = try SyncFixture()
        try school.addIntegration(status: .error)
        let admin = JobAdmin(environment: school.environment)
        let nightly = try failedJob(school, JobKinds.nightlyImport)
        let error = try #require(throws: SyncError.self) { try admin.retry(id: nightly) }
        #expect(error.code == .refused)
        #expect(error.message.contains("is Error"), "\(error.message)")
        #expect(try school.jobs.job(id: nightly)?.state == .failed)
        // A re-match is what Error allows: its retry goes through.
        let rematch = try failedJob(school, JobKinds.rematch)
        try admin.retry(id: rematch)
        #expect(try school.jobs.job(id: rematch)?.state == .available)
    }

    @Test("retry --all-failed retries what the rules allow and answers the others with their reasons")
    func retryAllFailed() throws {
        let school = try SyncFixture()
        try school.addIntegration(status: .error)
        let admin = JobAdmin(environment: school.environment)
        let noop = try school.jobs.enqueue(NewJob(kind: "noop", maxAttempts: 1)).id
        try school.jobs.connection.run("UPDATE jobs SET state = 'failed' WHERE id = ?", [noop])
        let nightly = try failedJob(school, JobKinds.nightlyImport)
        let upload = try failedJob(school, JobKinds.initialUpload)
        let report = try admin.retryAllFailed()
        #expect(report.retried == [noop])
        #expect(report.refused.map(\.id) == [nightly, upload])
        #expect(report.refused.allSatisfy { $0.reason.contains("is Error") })
        #expect(try school.jobs.job(id: nightly)?.state == .failed)
        #expect(try school.jobs.job(id: noop)?.state == .available)
    }

    @Test("a batch with a line its integration's status refuses writes nothing and names the line")
    func batchRuleRefusal() throws {
        let school = try SyncFixture()
        try school.addIntegration(status: .pending)
        let admin = JobAdmin(environment: school.environment)
        let requests = [JobRequest(kind: "noop"), JobRequest(kind: "rerun-wizard", integration: "oak"), JobRequest(kind: "nightly-import", integration: "oak")]
        for commitEvery in [nil, 1] as [Int?] {
            let error = try #require(throws: JobAdmin.BatchError.self) { _ = try admin.enqueue(batch: requests, commitEvery: commitEvery) }
            #expect(error.index == 3)
            #expect(error.error.message.contains("is Pending"))
            #expect(try school.jobs.stats().rows.isEmpty)
        }
    }

    @Test("the schedule beside a pending on-demand nightly import adds no second one")
    func scheduleAndOnDemand() throws {
        let school = try SyncFixture()
        try school.addIntegration { $0.settings.nightlyAt = "02:00"; $0.settings.timeZone = "Europe/London" }
        let onDemand = try JobAdmin(environment: school.environment).enqueue(JobRequest(kind: "nightly-import", integration: "oak"))
        let due = try NightlyScheduler(environment: school.environment).tick(now: Date(timeIntervalSince1970: 1_795_744_800))
        #expect(due.map(\.jobID) == [onDemand.id])
        #expect(try school.jobs.jobs(matching: JobFilter(kind: "nightly-import")).count == 1)
    }

    @Test("the nightly schedule enqueues nothing for an integration that is not On")
    func scheduleFollowsTheRules() throws {
        let school = try SyncFixture()
        for status in [IntegrationStatus.off, .error, .ready, .pending] {
            try school.addIntegration("i-\(status.rawValue)", status: status)
        }
        #expect(try NightlyScheduler(environment: school.environment).tick(now: Date(timeIntervalSince1970: 1_795_744_800)).isEmpty)
        #expect(try school.jobs.stats().rows.isEmpty)
    }
}
