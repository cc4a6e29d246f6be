import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

@Suite struct MetricsReportTests {
    @Test("the metrics page parses as Prometheus text, and its figures follow the jobs, queues, integrations and intake")
    func figures() async throws {
        let school = try SyncFixture()
        try school.addIntegration(status: .error)
        try school.store.sendToIntake(
            integration: "oak", role: .pupil, misID: "P1", name: "Ann", record: "{}", reason: "no match", now: 1)
        let jobs = try school.jobs
        _ = try jobs.enqueue(batch: [NewJob(kind: "noop"), NewJob(kind: "noop"), NewJob(kind: "noop", queue: "bulk")])
        _ = try jobs.enqueue(NewJob(kind: "noop", payload: #"{"fail":"permanent"}"#, maxAttempts: 1))
        try await school.drain()
        let admin = JobAdmin(environment: school.environment)
        let waiting = try jobs.enqueue(NewJob(kind: "noop", queue: "bulk"), now: 1_000).id
        try admin.pauseQueue("bulk")

        let raw = try admin.metrics(version: "7.0-test", now: 61_000)
        let page = try PrometheusParser(raw)
        #expect(page.value("mislink_jobs_enqueued_total", ["kind": "noop", "queue": "default"]) == 3)
        #expect(page.value("mislink_jobs_enqueued_total", ["kind": "noop", "queue": "bulk"]) == 2)
        #expect(page.value("mislink_jobs_completed_total", ["kind": "noop", "queue": "default", "outcome": "succeeded"]) == 2)
        #expect(page.value("mislink_jobs_completed_total", ["kind": "noop", "queue": "default", "outcome": "failed"]) == 1)
        #expect(page.value("mislink_jobs_completed_total", ["kind": "noop", "queue": "bulk", "outcome": "succeeded"]) == 1)
        #expect(page.value("mislink_jobs", ["state": "available", "kind": "noop", "queue": "bulk"]) == 1)
        #expect(page.value("mislink_jobs", ["state": "failed", "kind": "noop", "queue": "default"]) == 1)
        #expect(page.value("mislink_jobs", ["state": "succeeded", "kind": "noop", "queue": "default"]) == 2)
        // Duration is by kind (its queues added up): four finished runs.
        #expect(page.value("mislink_job_duration_seconds_count", ["kind": "noop"]) == 4)
        #expect(page.value("mislink_job_queue_wait_seconds_count", ["kind": "noop", "queue": "bulk"]) == 1)
        #expect(page.value("mislink_queue_paused", ["queue": "bulk"]) == 1)
        #expect(page.value("mislink_queue_paused", ["queue": "default"]) == 0)
        #expect(page.value("mislink_queue_oldest_job_age_seconds", ["queue": "bulk"]) == 60)
        #expect(page.value("mislink_workers") == 0)
        #expect(page.value("mislink_integration_status", ["integration": "oak", "status": "error"]) == 1)
        #expect(page.value("mislink_integration_status", ["integration": "oak", "status": "on"]) == 0)
        #expect(page.value("mislink_intake_pending", ["integration": "oak", "role": "pupil"]) == 1)
        #expect(page.value("mislink_intake_pending", ["integration": "oak", "role": "staff"]) == 0)
        #expect(page.value("mislink_build_info", ["version": "7.0-test"]) == 1)
        #expect(page.types["mislink_job_duration_seconds"] == "histogram")
        #expect(page.types["mislink_jobs_completed_total"] == "counter")
        for name in page.types.keys { #expect(page.helps[name]?.isEmpty == false, "\(name) has no HELP") }
        // Only bounded labels: no job id, person or error text.
        let names = Set(page.samples.flatMap { $0.labels.keys })
        #expect(names.isSubset(of: ["state", "kind", "queue", "outcome", "le", "integration", "status", "role", "version"]))
        #expect(!page.samples.flatMap { $0.labels.values }.contains("Ann"))
        #expect(try jobs.job(id: waiting)?.state == .available)
    }

    @Test("counters and histograms survive jobs prune; only what is left pending is counted from the jobs")
    func surviveThePrune() async throws {
        let school = try SyncFixture()
        _ = try school.jobs.enqueue(batch: (0..<5).map { _ in NewJob(kind: "noop") })
        _ = try school.jobs.enqueue(NewJob(kind: "noop", payload: #"{"fail":"permanent"}"#, maxAttempts: 1))
        try await school.drain()
        let admin = JobAdmin(environment: school.environment)
        let before = try PrometheusParser(try admin.metrics())
        let pruned = try admin.prune(olderThan: 0, now: JobStore.now() + 1_000)
        #expect(pruned == 6)
        let after = try PrometheusParser(try admin.metrics())
        for name in ["mislink_jobs_enqueued_total", "mislink_jobs_completed_total", "mislink_job_duration_seconds_bucket",
                     "mislink_job_duration_seconds_count", "mislink_job_queue_wait_seconds_sum"] {
            #expect(after.samples(name) == before.samples(name), "\(name)")
            #expect(!after.samples(name).isEmpty, "\(name)")
        }
        #expect(after.value("mislink_jobs_completed_total", ["kind": "noop", "queue": "default", "outcome": "succeeded"]) == 5)
        #expect(before.value("mislink_jobs", ["state": "failed", "kind": "noop", "queue": "default"]) == 1)
        #expect(after.value("mislink_jobs", ["state": "failed", "kind": "noop", "queue": "default"]) == nil)
    }

    @Test("label values are escaped: a kind with a quote, a backslash and a line feed reads back whole")
    func escaping() throws {
        let school = try SyncFixture()
        let hostile = "we\"ird\\kind\nx\r\ny"
        _ = try school.jobs.enqueue(NewJob(kind: hostile))
        let text = try JobAdmin(environment: school.environment).metrics()
        let page = try PrometheusParser(text)
        #expect(page.value("mislink_jobs_enqueued_total", ["kind": hostile, "queue": "default"]) == 1)
        #expect(!text.contains("\nx"))
    }

    @Test("an integration's imports show as records changed by action and the time of its last success, kept through pruning")
    func importFigures() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng")])
        try school.addIntegration { $0.settings.newRecords = .create }
        let job = try await school.run("nightly-import")
        #expect(job.state == .succeeded)
        let admin = JobAdmin(environment: school.environment)
        _ = try admin.prune(olderThan: 0, now: JobStore.now() + 1_000)
        let page = try PrometheusParser(try admin.metrics())
        #expect(page.value("mislink_import_records_total", ["integration": "oak", "action": "added"]) == 2)
        #expect(page.value("mislink_import_records_total", ["integration": "oak", "action": "updated"]) == 0)
        let last = try #require(page.value("mislink_integration_last_import_success_timestamp_seconds", ["integration": "oak"]))
        #expect(abs(last - Double(job.finishedAt!) / 1000) < 1)
        #expect(page.types["mislink_import_records_total"] == "counter")
    }

    @Test("each import the mass-leaver guard holds is counted per integration (a rehearsal is not); the integration stays On")
    func guardTrips() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: (1...10).map { student("M\($0)", "Kid\($0)", "Roe") })
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        let admin = JobAdmin(environment: school.environment)
        #expect(try PrometheusParser(try admin.metrics()).value("mislink_import_guard_trips_total", ["integration": "oak"]) == 0)
        try school.writeExport(students: (1...10).map { student("M\($0)", "Kid\($0)", "Roe", end: "2026-11-01") })
        #expect(try await school.run("nightly-import").result?.contains(#""state":"held""#) == true)
        #expect(try await school.run("nightly-import").result?.contains(#""state":"held""#) == true)
        // A rehearsal that would trip it is no stop.
        #expect(try await school.run("nightly-import", payload: #"{"planOnly": true}"#).result?.contains(#""state":"held""#) == true)
        #expect(try PrometheusParser(try admin.metrics()).value("mislink_import_guard_trips_total", ["integration": "oak"]) == 2)
        #expect(try school.integration().status == .on)
    }
}
