import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB
import Synchronization
import Testing

/// Defect 5: an import that stops between two writes (a killed worker) and runs again must resume
/// its plan. Nobody is created twice, its own writes never read as edits made in the target, and
/// its history row counts what it did once, across its attempts.
@Suite struct ImportPlanTests {
    /// 20 pupils uploaded, then an export where M01…M10 moved house and N1…N5 are new.
    private func schoolAfterUpload(budget: WriteBudget) async throws -> SyncFixture {
        let school = try SyncFixture(writeBudget: budget)
        let pupils = (1...20).map { String(format: "M%02d", $0) }
        try school.writeExport(students: pupils.map { student($0, "Kid\($0)", "Family\($0)", address: "1 Old Road") })
        try school.addIntegration(status: .ready) { $0.settings.newRecords = .create }
        let upload = try await school.run(JobKinds.initialUpload)
        #expect(upload.state == .succeeded, "\(upload.lastError ?? "")")
        // Movers and new pupils mixed through the export, so that a crash falls among both kinds of write.
        var rows: [String] = []
        for (index, id) in pupils.enumerated() {
            rows.append(student(id, "Kid\(id)", "Family\(id)", address: index < 10 ? "\(index + 2) New Street" : "1 Old Road"))
            if index % 4 == 1 { rows.append(student("N\(index / 4 + 1)", "New\(index)", "Pupil\(index)", address: "9 Fresh Lane")) }
        }
        try school.writeExport(students: rows)
        return school
    }

    /// Runs a job that stops after `writes` writes, then, the target healthy again, the same job again.
    private func crashThenRerun(_ kind: String, school: SyncFixture, budget: WriteBudget, writes: Int) async throws -> Job {
        budget.crash(after: writes)
        let crashed = try await school.run(kind)
        #expect(crashed.state == .failed)
        #expect(budget.writes.withLock { $0 } > 0)
        budget.unlimited()
        try loseMarks(of: crashed.id, school)
        // The admin's retry of the failed job (a rescued attempt after a kill resumes the same way).
        try school.store.setStatus("oak", kind == JobKinds.initialUpload ? .ready : .on, now: JobStore.now())
        try school.jobs.retry(id: crashed.id, extraAttempts: 1)
        try await school.drain()
        return try #require(try school.jobs.job(id: crashed.id))
    }

    /// A SIGKILL comes before the last batch of "step done" marks commits: here, before any did.
    private func loseMarks(of jobID: Int64, _ school: SyncFixture) throws {
        let changed = try school.store.connection.run(
            "UPDATE plan_steps SET status = 'planned', target_id = NULL WHERE job_id = ? AND status = 'done'", [jobID])
        #expect(changed > 0)
    }

    private func expectNoDuplicates(_ school: SyncFixture, people expected: Int) async throws {
        let people = try await school.people()
        let links = try school.store.links(integration: "oak")
        #expect(people.count == expected)
        #expect(Set(people.compactMap(\.misID)).count == expected)
        #expect(links.count == expected)
        #expect(Set(links.map(\.targetID)) == Set(people.map(\.targetID)))
    }

    private func expectNoTargetEdits(_ school: SyncFixture) async throws {
        #expect(try school.store.overwrittenTargetChanges(integration: "oak").isEmpty)
        let changes = try await ChangesReport(environment: school.environment)
            .changes(try school.integration(), links: try school.store.links(integration: "oak"))
        #expect(changes.isEmpty, "\(changes)")
    }

    @Test("a nightly import stopped mid-way and run again: nobody twice, no false target edits, counts of what changed")
    func nightlyResumes() async throws {
        let budget = WriteBudget()
        let school = try await schoolAfterUpload(budget: budget)
        let job = try await crashThenRerun(JobKinds.nightlyImport, school: school, budget: budget, writes: 8)
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        try await expectNoDuplicates(school, people: 25)
        try await expectNoTargetEdits(school)
        let row = try #require(try school.store.imports(integration: "oak").first { $0.jobID == job.id })
        #expect(row.added == 5)
        #expect(row.updated == 10)
        #expect(try school.store.imports(integration: "oak").filter { $0.jobID == job.id }.count == 1)
        let report = try school.report(of: job)
        #expect(report.added == 5 && report.updated == 10 && report.targetEdits == 0)
        #expect(try await school.person(misID: "M01")?.fields["address"] == "2 New Street")
        // Everything was recorded as sent: the next night changes nothing.
        let next = try school.report(of: try await school.run(JobKinds.nightlyImport))
        #expect(next.updated == 0 && next.added == 0 && next.targetEdits == 0 && next.unchanged == 25)
    }

    @Test("an initial upload stopped after some creates and run again creates everyone once and counts them as added")
    func uploadResumes() async throws {
        let budget = WriteBudget()
        let school = try SyncFixture(writeBudget: budget)
        try school.writeExport(students: (1...20).map { student("M\($0)", "Kid\($0)", "Family\($0)") })
        try school.addIntegration(status: .ready) { $0.settings.newRecords = .create }
        let job = try await crashThenRerun(JobKinds.initialUpload, school: school, budget: budget, writes: 7)
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        try await expectNoDuplicates(school, people: 20)
        let row = try #require(try school.store.imports(integration: "oak").first)
        #expect(row.added == 20)
        #expect(row.matched == 0)
        #expect(try school.integration().status == .on)
        #expect(try school.store.hasGoneLive("oak"))
        try await expectNoTargetEdits(school)
    }

    @Test("a target edit found before the crash is reported once, and only it")
    func realEditSurvivesCrash() async throws {
        let budget = WriteBudget()
        let school = try await schoolAfterUpload(budget: budget)
        let m15 = try #require(try await school.person(misID: "M15"))
        try await school.library.editField(m15.targetID, field: "address", value: "Edited by the office")
        let job = try await crashThenRerun(JobKinds.nightlyImport, school: school, budget: budget, writes: 5)
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        let changes = try school.store.overwrittenTargetChanges(integration: "oak")
        #expect(changes.map(\.misID) == ["M15"])
        #expect(changes.first?.targetValue == "Edited by the office")
        #expect(changes.first?.sentValue == "1 Old Road")
        let row = try #require(try school.store.imports(integration: "oak").first { $0.jobID == job.id })
        #expect(row.updated == 11)  // the ten movers and M15, set back to the MIS's address
        #expect(row.added == 5)
    }

    @Test("after an import that failed for good, the next import takes its writes as sent, and a late retry of it plans afresh")
    func failedImportThenNextImport() async throws {
        let budget = WriteBudget()
        let school = try await schoolAfterUpload(budget: budget)
        budget.crash(after: 9)
        let failed = try await school.run(JobKinds.nightlyImport)
        #expect(failed.state == .failed)
        budget.unlimited()
        try loseMarks(of: failed.id, school)
        try school.store.setStatus("oak", .on, now: JobStore.now())
        let next = try await school.run(JobKinds.nightlyImport)
        #expect(next.state == .succeeded, "\(next.lastError ?? "")")
        try await expectNoDuplicates(school, people: 25)
        try await expectNoTargetEdits(school)
        // The failed job's plan was superseded: retried now, it changes nothing.
        try school.jobs.retry(id: failed.id, extraAttempts: 1)
        try await school.drain()
        let retried = try #require(try school.jobs.job(id: failed.id))
        #expect(retried.state == .succeeded, "\(retried.lastError ?? "")")
        let report = try school.report(of: retried)
        #expect(report.updated == 0 && report.added == 0 && report.targetEdits == 0)
        try await expectNoDuplicates(school, people: 25)
    }

    @Test("a plan lists each change with its kind, person, target id and before/after fields")
    func planShape() async throws {
        let budget = WriteBudget()
        let school = try await schoolAfterUpload(budget: budget)
        let job = try await school.run(JobKinds.nightlyImport)
        let steps = try school.store.planSteps(jobID: job.id)
        #expect(steps.filter { $0.kind == .create }.count == 5)
        #expect(steps.filter { $0.kind == .update }.count == 10)
        #expect(steps.allSatisfy { $0.status == .done && $0.targetID != nil })
        let m01 = try #require(steps.first { $0.kind == .update && $0.misID == "M01" })
        #expect(m01.before == ["address": "1 Old Road"])
        #expect(m01.after?["address"] == "2 New Street")
    }
}
