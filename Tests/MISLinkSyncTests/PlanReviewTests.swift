import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
@testable import MISLinkSync
import MISLinkTestSupport
import Synchronization
import Testing

/// Issue 11, parts 1, 2 and 6: a plan made for review and applied exactly; refused when a planned
/// record changed since; discarded and expired plans; guards per entity and change type with partial
/// release; a rehearsal as of a date.
@Suite(.timeLimit(.minutes(5))) struct PlanReviewTests {
    private let others = (10..<20).map { student("M\($0)", "Kid", "Number\($0)") }
    private let amyContact = "C1,M1,Mother,Ann,Lee,ann@example.org,07700900001,1,yes"

    /// Amy, Ben and ten others imported; then the night's changes: Amy's surname, Ben leaves, Cat is
    /// new and Amy's mother is added to her contacts.
    private func nightWithChanges(_ school: SyncFixture) async throws {
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng")] + others)
        try school.addIntegration { $0.settings.newRecords = .create }
        let first = try await school.run(JobKinds.nightlyImport)
        #expect(first.state == .succeeded, "\(first.lastError ?? "")")
        try school.writeExport(
            students: [
                student("M1", "Amy", "Lee-Smith"), student("M2", "Ben", "Ng", end: "2026-11-01", status: "inactive"),
                student("M3", "Cat", "Roe"),
            ] + others,
            contacts: [amyContact])
    }

    private func planOnly(_ school: SyncFixture, _ payload: String = #"{"planOnly": true}"#) async throws -> Int64 {
        let job = try await school.run(JobKinds.nightlyImport, payload: payload)
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        return job.id
    }

    /// Applies the plan through the service (as `plan apply` does) and drains: the applying job.
    private func apply(_ school: SyncFixture, _ id: Int64, exceptHeld: Bool = false) async throws -> Job {
        let result = try PlanService(environment: school.environment).apply(id, exceptHeld: exceptHeld)
        #expect(result.inserted)
        try await school.drain()
        return try #require(try school.queue.job(id: result.id))
    }

    private func state(_ school: SyncFixture, _ id: Int64) throws -> String {
        try #require(try school.store.planSummary(id: id)).shownState(now: JobStore.now())
    }

    @Test("a plan-only nightly writes nothing and lists every change; applying it makes exactly those changes and no others", arguments: SyncBackendTests.Backend.available)
    func planThenApply(backend: SyncBackendTests.Backend) async throws {
        try await SyncBackendTests.withSchool(backend) { school in
            try await nightWithChanges(school)
            let importsBefore = try school.store.imports(integration: "oak").count
            let id = try await planOnly(school)

            // Nothing written: the target, links, follow-ups and import history are as they were.
            #expect(try await school.person(misID: "M1")?.name.legalSurname == "Lee")
            #expect(try await school.person(misID: "M3") == nil)
            #expect(try await school.person(misID: "M2")?.inRecycleBin == false)
            #expect(try school.queue.jobPage(matching: JobFilter(kind: JobKinds.leaverToRecycleBin)).jobs.isEmpty)
            #expect(try school.store.imports(integration: "oak").count == importsBefore)
            #expect(try school.store.links(integration: "oak").count == 12)

            // The plan: ready, with each change, before and after.
            let service = PlanService(environment: school.environment)
            #expect(try service.list(integration: "oak", reviewOnly: true).map(\.id) == [id])
            #expect(try state(school, id) == "ready")
            let (summary, steps) = try service.show(id)
            #expect(summary.report.added == 1 && summary.report.updated == 1 && summary.report.leavers == 1 && summary.report.contactsUpdated == 1)
            let update = try #require(steps.first { $0.kind == .update })
            #expect(update.misID == "M1" && update.before?["legal_surname"] == "Lee" && update.after?["legal_surname"] == "Lee-Smith")
            #expect(steps.contains { $0.kind == .create && $0.misID == "M3" && $0.after?["legal_surname"] == "Roe" })
            #expect(steps.contains { $0.kind == .leaver && $0.misID == "M2" })
            #expect(steps.contains { $0.kind == .contacts && $0.misID == "M1" && $0.contacts?.first?.surname == "Lee" })
            #expect(try service.show(id, kinds: [.leaver]).steps.map(\.misID) == ["M2"])

            // Dan arrives after the plan was made: not the plan's, so not applied.
            try school.writeExport(
                students: [
                    student("M1", "Amy", "Lee-Smith"), student("M2", "Ben", "Ng", end: "2026-11-01", status: "inactive"),
                    student("M3", "Cat", "Roe"), student("M4", "Dan", "Oak"),
                ] + others,
                contacts: [amyContact])
            let applied = try await apply(school, id)
            #expect(applied.state == .succeeded, "\(applied.lastError ?? "")")
            #expect(try await school.person(misID: "M1")?.name.legalSurname == "Lee-Smith")
            #expect(try await school.person(misID: "M3") != nil)
            #expect(try await school.person(misID: "M2")?.inRecycleBin == true)
            #expect(try await school.person(misID: "M1")?.contacts.map(\.surname) == ["Lee"])
            #expect(try await school.person(misID: "M4") == nil)
            #expect(try state(school, id) == "applied")
            #expect(try school.store.imports(integration: "oak").count == importsBefore + 1)
            #expect(throws: SyncError.self) { try service.apply(id) }

            // The next import makes what came after the plan, and nothing twice.
            let next = try school.report(of: try await school.run(JobKinds.nightlyImport))
            #expect(next.added == 1 && next.updated == 0 && next.leavers == 0 && next.contactsUpdated == 0)
        }
    }

    @Test("apply is refused, naming the records, when a planned record changed since in the MIS or in the target", arguments: SyncBackendTests.Backend.available)
    func refusedWhenChanged(backend: SyncBackendTests.Backend) async throws {
        try await SyncBackendTests.withSchool(backend) { school in
            try await nightWithChanges(school)
            // The MIS changes Amy again after the plan was made.
            let id = try await planOnly(school)
            try school.writeExport(
                students: [
                    student("M1", "Amy", "Lee-Jones"), student("M2", "Ben", "Ng", end: "2026-11-01", status: "inactive"),
                    student("M3", "Cat", "Roe"),
                ] + others,
                contacts: [amyContact])
            let refused = try await apply(school, id)
            #expect(refused.state == .failed)
            #expect(refused.lastError?.contains("plan \(id) no longer matches the MIS and the target for 1 planned record: pupil M1 (update: in the MIS: legal_surname changed)") == true, "\(refused.lastError ?? "")")
            #expect(try await school.person(misID: "M1")?.name.legalSurname == "Lee")
            #expect(try await school.person(misID: "M3") == nil)
            #expect(try school.integration().status == .on)

            // Someone edits Ben's record in the target after the plan: his planned move is refused.
            let second = try await planOnly(school)
            let ben = try #require(try await school.person(misID: "M2"))
            try await school.library.editField(ben.targetID, field: "email", value: "ben@example.org")
            let changed = try await apply(school, second)
            #expect(changed.state == .failed)
            #expect(changed.lastError?.contains("pupil M2 (leaver:") == true, "\(changed.lastError ?? "")")
            #expect(try await school.person(misID: "M2")?.inRecycleBin == false)
        }
    }

    @Test("a discarded plan, an expired one and one already taken are refused by name")
    func discardAndExpiry() async throws {
        let school = try SyncFixture()
        try await nightWithChanges(school)
        let service = PlanService(environment: school.environment)
        let id = try await planOnly(school)
        // Seven days by default: a day past, it is expired.
        let eightDays = JobStore.now() + 8 * 86_400_000
        #expect(try #require(try school.store.planSummary(id: id)).shownState(now: eightDays) == "expired")
        #expect { try service.apply(id, now: eightDays) } throws: { ($0 as? SyncError)?.message.contains("plan \(id) is expired") == true }
        try service.discard(id)
        #expect(try state(school, id) == "discarded")
        #expect { try service.apply(id) } throws: { ($0 as? SyncError)?.message.contains("plan \(id) is discarded") == true }
        #expect { try service.discard(id) } throws: { ($0 as? SyncError)?.code == .refused }
        #expect { try service.apply(999) } throws: { ($0 as? SyncError)?.code == .notFound }
        // A plan whose apply is queued and then discarded: the queued job is called off.
        let other = try await planOnly(school)
        let queued = try service.apply(other)
        try service.discard(other)
        #expect(try school.queue.job(id: queued.id)?.state == .cancelled)
        #expect(try await school.person(misID: "M3") == nil)
    }

    @Test("a guard holds the import as a plan (never just failed); --except-held applies the rest, and the whole plan can follow", arguments: SyncBackendTests.Backend.available)
    func partialRelease(backend: SyncBackendTests.Backend) async throws {
        try await SyncBackendTests.withSchool(backend) { school in
            let ten = (1...10).map { student("M\($0)", "Kid\($0)", "Roe") }
            try school.writeExport(students: ten)
            try school.addIntegration { $0.settings.newRecords = .create }
            _ = try await school.run(JobKinds.nightlyImport)
            // Five leave (50%, over the mass-leaver guard's 10%); Kid1 changes name; a new pupil arrives.
            let night = (1...10).map {
                $0 == 1 ? student("M1", "Kid1", "Roe-Smith") : $0 > 5 ? student("M\($0)", "Kid\($0)", "Roe", end: "2026-11-01", status: "inactive") : ten[$0 - 1]
            } + [student("M20", "New", "Pupil")]
            try school.writeExport(students: night)
            let held = try await school.run(JobKinds.nightlyImport)
            #expect(held.state == .succeeded, "\(held.lastError ?? "")")
            #expect(try state(school, held.id) == "held")
            let summary = try #require(try school.store.planSummary(id: held.id))
            #expect(summary.holds.map(\.rule) == ["all.recycle"])
            #expect(try school.store.heldPlanCount(now: JobStore.now()) == 1)
            #expect(try await school.people().filter(\.inRecycleBin).isEmpty)
            #expect(try await school.person(misID: "M20") == nil)
            let steps = try school.store.planSteps(jobID: held.id)
            #expect(steps.filter(\.held).map(\.kind) == Array(repeating: .leaver, count: 5))

            // The creates and updates without the five leavers.
            let partial = try await apply(school, held.id, exceptHeld: true)
            #expect(partial.state == .succeeded, "\(partial.lastError ?? "")")
            #expect(try await school.person(misID: "M20") != nil)
            #expect(try await school.person(misID: "M1")?.name.legalSurname == "Roe-Smith")
            #expect(try await school.people().filter(\.inRecycleBin).isEmpty)
            #expect(try school.queue.jobPage(matching: JobFilter(kind: JobKinds.leaverToRecycleBin)).jobs.isEmpty)
            let report = try school.report(of: partial)
            #expect(report.added == 1 && report.updated == 1 && report.leavers == 0)
            #expect(report.warnings.contains { $0.contains("held back by the guards") && $0.contains("5 leaver") })
            #expect(try state(school, held.id) == "applied")
            #expect(try school.store.heldPlanCount(now: JobStore.now()) == 0)

            // The leavers are still leavers: the next import is held again, and applied whole.
            let again = try await school.run(JobKinds.nightlyImport)
            #expect(try state(school, again.id) == "held")
            #expect(try school.store.planSteps(jobID: again.id).filter { $0.kind.writesTarget || $0.kind == .leaver }.allSatisfy(\.held))
            let whole = try await apply(school, again.id)
            #expect(whole.state == .succeeded, "\(whole.lastError ?? "")")
            #expect(try await school.people().filter(\.inRecycleBin).count == 5)
        }
    }

    @Test("guards per entity and change type, by share and by count; a guard on staff leaves pupils' changes alone")
    func guardsPerEntity() async throws {
        let school = try SyncFixture()
        try school.writeExport(
            students: (1...4).map { student("M\($0)", "Kid\($0)", "Roe") },
            staff: [staffRow("S1", "Sam", "Teach"), staffRow("S2", "Tam", "Teach")])
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run(JobKinds.nightlyImport)
        _ = try IntegrationService(environment: school.environment).set(
            "oak", [try IntegrationEdit(parsing: "guard.staff.update=1"), try IntegrationEdit(parsing: "guard.pupils.create=50%,3")])
        // Two staff change post (over a count of 1); one pupil changes (no guard on pupils' updates).
        try school.writeExport(
            students: [student("M1", "Kid1", "Roe-Smith")] + (2...4).map { student("M\($0)", "Kid\($0)", "Roe") },
            staff: [staffRow("S1", "Sam", "Teach", post: "Head"), staffRow("S2", "Tam", "Teach", post: "Deputy")])
        let held = try await school.run(JobKinds.nightlyImport)
        let summary = try #require(try school.store.planSummary(id: held.id))
        #expect(summary.holds.map(\.rule) == ["staff.update"], "\(summary.holds)")
        #expect(summary.holds.first?.message == "guard staff.update: 2 of 2 current records would be updated (100%), over the limit 1")
        let steps = try school.store.planSteps(jobID: held.id)
        #expect(steps.filter(\.held).map(\.misID).sorted() == ["S1", "S2"])
        #expect(steps.contains { $0.kind == .update && $0.misID == "M1" && !$0.held })
    }

    @Test("guard limits parse as a share, a count, both or none, and refuse anything else by name")
    func guardSettings() throws {
        #expect(GuardLimit(text: "10%") == GuardLimit(share: 0.1))
        #expect(GuardLimit(text: "400") == GuardLimit(count: 400))
        #expect(GuardLimit(text: "10%,400") == GuardLimit(share: 0.1, count: 400))
        #expect(GuardLimit(text: "none")?.isOff == true)
        for bad in ["", "ten", "10%,20%", "-1", "150%", "5,6"] { #expect(GuardLimit(text: bad) == nil, "\(bad)") }
        #expect(GuardLimit(share: 0.1).isTripped(by: 2, of: 10) && !GuardLimit(share: 0.1).isTripped(by: 1, of: 10))
        #expect(GuardLimit(count: 3).isTripped(by: 4, of: 1000) && !GuardLimit(count: 3).isTripped(by: 3, of: 1))
        var settings = IntegrationSettings()
        #expect(settings.guardLimits == [.massLeavers: GuardLimit(share: 0.1)])
        try settings.set("guard.all.recycle", "none")
        #expect(settings.guardLimits.isEmpty)
        try settings.set("mass-leaver-threshold", "0.2")
        #expect(settings.guardLimits == [.massLeavers: GuardLimit(share: 0.2)])
        #expect { try settings.set("guard.contacts.recycle", "1") } throws: { ($0 as? SyncError)?.message.contains("unknown guard 'guard.contacts.recycle'") == true }
        #expect { try settings.set("guard.pupils.update", "lots") } throws: { ($0 as? SyncError)?.message.contains("setting 'guard.pupils.update' must be") == true }
        try settings.set("plan-expiry", "12h")
        #expect(settings.planExpiry == 12 * 3_600_000)
    }

    @Test("a rehearsal as of a date judges leavers on that day, changes nothing and is never applied")
    func asOfRehearsal() async throws {
        let school = try SyncFixture()
        // Amy leaves at the end of the school year: not yet a leaver on the fixture's today (2026-11-27).
        try school.writeExport(students: [student("M1", "Amy", "Lee", end: "2027-08-31")] + others)
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run(JobKinds.nightlyImport)
        let normal = try await school.run(JobKinds.nightlyImport, payload: #"{"planOnly": true}"#)
        #expect(try school.store.planSteps(jobID: normal.id).contains { $0.kind == .leaver } == false)
        let rehearsal = try await school.run(JobKinds.nightlyImport, payload: #"{"planOnly": true, "asOf": "2027-09-01"}"#)
        #expect(rehearsal.state == .succeeded, "\(rehearsal.lastError ?? "")")
        let summary = try #require(try school.store.planSummary(id: rehearsal.id))
        #expect(summary.asOf == "2027-09-01" && summary.report.leavers == 1)
        #expect(try school.store.planSteps(jobID: rehearsal.id).contains { $0.kind == .leaver && $0.misID == "M1" })
        #expect(try await school.person(misID: "M1")?.inRecycleBin == false)
        #expect(try school.queue.jobPage(matching: JobFilter(kind: JobKinds.leaverToRecycleBin)).jobs.isEmpty)
        #expect { try PlanService(environment: school.environment).apply(rehearsal.id) } throws: {
            ($0 as? SyncError)?.message.contains("a rehearsal as of 2027-09-01") == true
        }
    }
}

extension PlanReviewTests {
    @Test("a plan's changes read as an admin reads them: a field the target did not hold was none before")
    func changesAsShown() {
        let update = PlanStep(
            .update, role: .pupil, misID: "M1", targetID: "T1", before: ["email": "", "legal_surname": "Lee"],
            after: ["email": "amy@example.org", "legal_surname": "Lee-Smith", "legal_forename": "Amy"])
        let shown = PlanReviewJSON.changes(update)
        #expect(shown.map(\.field) == ["email", "legal_surname"])
        #expect(shown[0].before == nil && shown[0].after == "amy@example.org")
        #expect(shown[1].before == "Lee" && shown[1].after == "Lee-Smith")
        let create = PlanStep(.create, role: .pupil, misID: "M2", after: ["legal_surname": "Ng"])
        #expect(PlanReviewJSON.changes(create).map { "\($0.field) \($0.before ?? "none") \($0.after ?? "none")" } == ["legal_surname none Ng"])
    }
}

extension PlanReviewTests {
    @Test("a held create holds its contacts with it: applied --except-held, the new pupil and their contacts wait, the rest is made")
    func heldCreateTakesItsContacts() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")] + others)
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run(JobKinds.nightlyImport)
        _ = try IntegrationService(environment: school.environment).set("oak", [try IntegrationEdit(parsing: "guard.pupils.create=0")])
        try school.writeExport(
            students: [student("M1", "Amy", "Lee-Smith"), student("M3", "Cat", "Roe")] + others,
            contacts: ["C9,M3,Father,Tom,Roe,,07700900009,1,yes"])
        let held = try await school.run(JobKinds.nightlyImport)
        let steps = try school.store.planSteps(jobID: held.id)
        #expect(Set(steps.filter(\.held).map(\.kind)) == [.create, .contacts], "\(steps.map { ($0.kind, $0.misID, $0.held) })")
        #expect(steps.filter(\.held).allSatisfy { $0.misID == "M3" })
        let applied = try await apply(school, held.id, exceptHeld: true)
        #expect(applied.state == .succeeded, "\(applied.lastError ?? "")")
        #expect(try await school.person(misID: "M3") == nil)
        #expect(try await school.person(misID: "M1")?.name.legalSurname == "Lee-Smith")
        #expect(try school.report(of: applied).added == 0 && school.report(of: applied).contactsUpdated == 0)
    }
}

extension PlanReviewTests {
    @Test("a plan applied with nothing changed since is not read again; a change to the integration's own records still has it checked and refused")
    func unchangedSincePlan() async throws {
        let reads = ChangedSinceLog()
        let school = try SyncFixture(recording: reads)
        try await nightWithChanges(school)
        let id = try await planOnly(school)
        #expect(try school.store.plan(id: id)?.fingerprint != nil)
        reads.values.withLock { $0.removeAll() }
        let applied = try await apply(school, id)
        #expect(applied.state == .succeeded, "\(applied.lastError ?? "")")
        #expect(reads.values.withLock { $0.count } == 0, "the MIS was not read again")
        #expect(try await school.person(misID: "M1")?.name.legalSurname == "Lee-Smith")
        #expect(try await school.person(misID: "M3") != nil)

        // Kid 10 changes; the plan is made; then an admin excludes them: planned again, they are not changed.
        try school.writeExport(
            students: [student("M1", "Amy", "Lee-Smith"), student("M3", "Cat", "Roe"), student("M10", "Kid", "Changed")] + others.dropFirst(),
            contacts: [amyContact])
        let second = try await planOnly(school)
        #expect(try school.store.planSteps(jobID: second).contains { $0.kind == .update && $0.misID == "M10" })
        try IntegrationService(environment: school.environment).exclude("oak", misID: "M10")
        reads.values.withLock { $0.removeAll() }
        let refused = try await apply(school, second)
        #expect(refused.state == .failed)
        #expect(refused.lastError?.contains("pupil M10 (update: no longer planned") == true, "\(refused.lastError ?? "")")
        #expect(reads.values.withLock { $0.count } > 0, "checked against the MIS")
        #expect(try await school.person(misID: "M10")?.name.legalSurname == "Number10")
    }
}

extension PlanReviewTests {
    @Test("a plan request's payload is checked when it is enqueued, and a plan for review stands beside the integration's pending run")
    func planPayloads() throws {
        let school = try SyncFixture()
        try school.addIntegration()
        let admin = JobAdmin(environment: school.environment)
        var nightly = JobRequest(kind: JobKinds.nightlyImport)
        nightly.integration = "oak"
        func refusal(_ payload: String) -> String? {
            var request = nightly
            request.payload = payload
            do { _ = try admin.enqueue(request) } catch { return error.message }
            return nil
        }
        #expect(refusal(#"{"asOf": "2027-09-01"}"#)?.contains("asOf is for a rehearsal: it needs planOnly") == true)
        #expect(refusal(#"{"exceptHeld": true}"#)?.contains("exceptHeld goes with applyPlan") == true)
        #expect(refusal(#"{"planOnly": true, "applyPlan": 3}"#)?.contains("planOnly and applyPlan cannot go together") == true)
        #expect(refusal(#"{"planOnly": true, "asOf": "2027-13-01"}"#)?.contains("'asOf' must be a date such as 2027-09-01") == true)
        #expect(refusal(#"{"planOnly": "yes"}"#)?.contains("'planOnly' must be true or false") == true)
        #expect(refusal(#"{"applyPlan": 0}"#)?.contains("'applyPlan' must be a plan id") == true)
        // The nightly waits; a rehearsal of it is added beside it, once.
        let pending = try admin.enqueue(nightly)
        var rehearsal = nightly
        rehearsal.payload = #"{"planOnly": true}"#
        let planned = try admin.enqueue(rehearsal)
        #expect(planned.inserted && planned.id != pending.id)
        let again = try admin.enqueue(rehearsal)
        #expect(!again.inserted && again.id == planned.id)
    }
}
