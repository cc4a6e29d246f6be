import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
@testable import MISLinkSync
import MISLinkTestSupport
import SQLiteDB
import Synchronization
import Testing

/// Issue 11, part 3: a history per person, and the undo of a plan, through the real worker.
@Suite(.timeLimit(.minutes(5))) struct PersonHistoryTests {
    /// Ten more pupils, so that one leaver stays under the mass-leaver guard.
    private let others = (10..<20).map { student("M\($0)", "Kid", "Number\($0)") }

    /// Amy (with her mother Ann as contact), Ben and Cat created by an initial upload; then a night
    /// on which Amy's address changes, Ann's email changes, Ben leaves, Cat's surname changes and Dan
    /// arrives. Answers the upload and the night.
    private func nightOfChanges(_ school: SyncFixture) async throws -> (upload: Job, night: Job) {
        try school.writeExport(
            students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng"), student("M3", "Cat", "Roe")] + others,
            contacts: ["C1,M1,Mother,Ann,Lee,ann@example.org,07700900001,1,yes"])
        try school.addIntegration(status: .ready) { $0.settings.newRecords = .create }
        let upload = try await school.run(JobKinds.initialUpload)
        #expect(upload.state == .succeeded, "\(upload.lastError ?? "")")
        try writeNight(school)
        let night = try await school.run(JobKinds.nightlyImport)
        #expect(night.state == .succeeded, "\(night.lastError ?? "")")
        return (upload, night)
    }

    /// The MIS after the night of changes (Amy at `address`), with `extra` pupils.
    private func writeNight(_ school: SyncFixture, address: String = "2 New Road", extra: [String] = []) throws {
        try school.writeExport(
            students: [
                student("M1", "Amy", "Lee", address: address), student("M2", "Ben", "Ng", end: "2026-11-01", status: "inactive"),
                student("M3", "Cat", "Rowe"), student("M4", "Dan", "Ode"),
            ] + extra + others,
            contacts: ["C1,M1,Mother,Ann,Lee,ann.new@example.org,07700900001,1,yes"])
    }

    private func history(_ school: SyncFixture, _ misID: String) throws -> [PersonChange] {
        try school.store.personHistory(integration: "oak", misID: misID)
    }

    private func undo(_ school: SyncFixture, plan: Int64, misID: String? = nil) async throws -> (Job, UndoReport) {
        var payload: [String: Any] = ["plan": plan]
        if let misID { payload["misId"] = misID }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), as: UTF8.self)
        let job = try await school.run(JobKinds.planUndo, payload: text)
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        return (job, try JSONDecoder().decode(UndoReport.self, from: Data((job.result ?? "{}").utf8)))
    }

    @Test("the history shows each person's creates, updates, contacts, leaver move and intake decisions, oldest first", arguments: SyncBackendTests.Backend.available)
    func historyAfterImports(backend: SyncBackendTests.Backend) async throws {
        try await SyncBackendTests.withSchool(backend) { school in
            // Two target records Eve could be: she goes to intake, and an admin matches her by hand.
            let eveA = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(misID: "", name: PersonName(legalForename: "Eve", legalSurname: "Ash"), dateOfBirth: CalendarDate(iso: "2018-03-14")))))
            _ = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(misID: "", name: PersonName(legalForename: "Eve", legalSurname: "Ash"), dateOfBirth: CalendarDate(iso: "2018-03-14")))))
            let (upload, night) = try await nightOfChanges(school)
            try writeNight(school, extra: [student("M5", "Eve", "Ash")])
            let third = try await school.run(JobKinds.nightlyImport)
            // Still in intake the next night: one "sent to intake", not one a night.
            _ = try await school.run(JobKinds.nightlyImport)
            let entry = try #require(try school.store.intake(integration: "oak").first { $0.misID == "M5" })
            let decided = try await IntakeService(environment: school.environment).decide(.match(targetID: eveA), .ids([entry.id]))
            #expect(decided.done.count == 1, "\(decided.refused)")

            let amy = try history(school, "M1")
            #expect(amy.map(\.kind) == [.create, .contacts, .update, .contacts])
            #expect(amy.map(\.jobID) == [upload.id, upload.id, night.id, night.id])
            #expect(amy[0].fields.contains { $0.field == "legal_forename" && $0.from == nil && $0.to == "Amy" })
            #expect(amy[2].fields == [PersonChange.FieldChange(field: "address", from: nil, to: "2 New Road")])
            #expect(amy[3].contacts?.before.map(\.email) == ["ann@example.org"])
            #expect(amy[3].contacts?.after.map(\.email) == ["ann.new@example.org"])
            #expect(zip(amy, amy.dropFirst()).allSatisfy { $0.id < $1.id && $0.at <= $1.at })

            let ben = try history(school, "M2")
            #expect(ben.map(\.kind) == [.create, .recycle])
            // The move ran as its own job; it belongs to the plan that found Ben leaving.
            #expect(ben[1].planID == night.id && ben[1].jobID != night.id)
            #expect(try await school.person(misID: "M2")?.inRecycleBin == true)
            // An admin's restore is in it too.
            try await IntegrationService(environment: school.environment).restore("oak", targetID: try #require(ben[0].targetID))
            #expect(try history(school, "M2").map(\.kind) == [.create, .recycle, .restore])

            let cat = try history(school, "M3")
            #expect(cat.last?.fields == [PersonChange.FieldChange(field: "legal_surname", from: "Roe", to: "Rowe")])
            #expect(try history(school, "M4").map(\.kind) == [.create])

            let eve = try history(school, "M5")
            #expect(eve.map(\.kind) == [.intake, .matched])
            #expect(eve[0].jobID == third.id && eve[0].detail?.isEmpty == false)
            #expect(eve[1].jobID == nil && eve[1].targetID == eveA)
            // Looked up by target id: the same person, the intake entry made before the match included.
            #expect(try school.store.personHistory(integration: "oak", targetID: eveA).map(\.kind) == [.intake, .matched])
            let amyTarget = try #require(amy[0].targetID)
            #expect(try school.store.personHistory(integration: "oak", targetID: amyTarget).map(\.id) == amy.map(\.id))
            #expect(try history(school, "NOBODY").isEmpty)
            // The history has no tie to the jobs: pruning every finished job keeps it.
            _ = try school.store.connection.run("DELETE FROM jobs")
            #expect(try history(school, "M1").count == 4)
        }
    }

    @Test("an undo of a whole plan reverts its updates, recycles its creates, restores its leavers and puts back contacts; the next import brings the MIS's values back without calling them target edits", arguments: SyncBackendTests.Backend.available)
    func undoWholePlan(backend: SyncBackendTests.Backend) async throws {
        try await SyncBackendTests.withSchool(backend) { school in
            let (_, night) = try await nightOfChanges(school)
            let (job, report) = try await undo(school, plan: night.id)
            #expect(report.notUndone.isEmpty, "\(report.notUndone)")
            #expect(Set(report.undone.map { "\($0.kind) \($0.misID)" }) == ["update M1", "contacts M1", "recycle M2", "update M3", "create M4"])
            let amy = try #require(try await school.person(misID: "M1"))
            #expect(amy.fields["address"] == nil)
            #expect(amy.contacts.map(\.email) == ["ann@example.org"])
            #expect(try await school.person(misID: "M2")?.inRecycleBin == false)
            #expect(try await school.person(misID: "M3")?.name.legalSurname == "Roe")
            #expect(try await school.person(misID: "M4")?.inRecycleBin == true)
            // Its writes are in the history, as undo, by the undo job.
            let undoRows = try history(school, "M3").filter { $0.kind == .undo }
            #expect(undoRows.count == 1 && undoRows[0].jobID == job.id && undoRows[0].planID == night.id)
            #expect(undoRows[0].fields == [PersonChange.FieldChange(field: "legal_surname", from: "Rowe", to: "Roe")])

            // A second undo of the same plan has nothing left to undo, and says so per change.
            let (_, again) = try await undo(school, plan: night.id)
            #expect(again.undone.isEmpty)
            #expect(again.notUndone.count == 5 && again.notUndone.allSatisfy { $0.reason?.contains("already undone by job \(job.id)") == true })

            // The MIS still holds the new values: the next import sends them again, as updates, and
            // no undone field is reported as an edit made in the target.
            let next = try await school.run(JobKinds.nightlyImport)
            let nextReport = try school.report(of: next)
            #expect(nextReport.targetEdits == 0)
            #expect(nextReport.updated == 2)
            #expect(try await school.person(misID: "M3")?.name.legalSurname == "Rowe")
        }
    }

    @Test("an undo for one person reverts only their changes")
    func undoOnePerson() async throws {
        let school = try SyncFixture()
        let (_, night) = try await nightOfChanges(school)
        let (_, report) = try await undo(school, plan: night.id, misID: "M3")
        #expect(report.undone.map(\.misID) == ["M3"] && report.notUndone.isEmpty)
        #expect(report.undone.first?.fields == ["legal_surname"])
        #expect(try await school.person(misID: "M3")?.name.legalSurname == "Roe")
        #expect(try await school.person(misID: "M1")?.fields["address"] == "2 New Road")
        #expect(try await school.person(misID: "M2")?.inRecycleBin == true)
        #expect(try await school.person(misID: "M4")?.inRecycleBin == false)
        // A person the plan did not change is refused, saying why; a plan id of no plan too.
        let none = try await school.run(JobKinds.planUndo, payload: #"{"plan": \#(night.id), "misId": "M15"}"#)
        #expect(none.state == .failed)
        #expect(none.lastError?.contains("no changes to target records for MIS id M15") == true, "\(none.lastError ?? "")")
        #expect(throws: SyncError.self) { try IntegrationService(environment: school.environment).undoRequest(plan: 999_999, misID: nil) }
    }

    @Test("an undo leaves what changed since, and says why: a later import changed the field, or the target was edited")
    func undoConflicts() async throws {
        let school = try SyncFixture()
        let (_, night) = try await nightOfChanges(school)
        // The next night Amy's address changes again (a later MISLink change of the same field), and
        // someone edits Cat's surname in the target.
        try writeNight(school, address: "3 Newer Road")
        let later = try await school.run(JobKinds.nightlyImport)
        #expect(later.state == .succeeded)
        let cat = try #require(try await school.person(misID: "M3"))
        try await school.library.editField(cat.targetID, field: "legal_surname", value: "Rowe-Edited")

        let (_, report) = try await undo(school, plan: night.id)
        let refused = Dictionary(report.notUndone.map { ("\($0.kind) \($0.misID)", $0.reason ?? "") }) { first, _ in first }
        #expect(refused["update M1"]?.contains("changed since by MISLink (update by job \(later.id))") == true, "\(refused)")
        #expect(refused["update M3"]?.contains("edited in the target since (legal_surname)") == true, "\(refused)")
        #expect(try await school.person(misID: "M1")?.fields["address"] == "3 Newer Road")
        #expect(try await school.person(misID: "M3")?.name.legalSurname == "Rowe-Edited")
        // The rest of the plan is undone.
        #expect(Set(report.undone.map { "\($0.kind) \($0.misID)" }) == ["contacts M1", "recycle M2", "create M4"])
    }

    @Test("an undo stopped between two writes and run again writes nothing twice, and then undoes the rest")
    func undoAfterACrash() async throws {
        let budget = WriteBudget()
        let school = try SyncFixture(writeBudget: budget)
        let (_, night) = try await nightOfChanges(school)
        // Amy's update, her contacts and Cat's update are the undo's writes that spend the budget.
        budget.crash(after: 1)
        let before = budget.writes.withLock { $0 }
        let stopped = try await school.run(JobKinds.planUndo, payload: #"{"plan": \#(night.id)}"#)
        #expect(stopped.state == .failed && stopped.lastError?.contains("simulated crash") == true, "\(stopped.lastError ?? "")")
        #expect(budget.writes.withLock { $0 } == before + 1)
        // Nothing of the stopped run is in the history: its bookkeeping never committed.
        #expect(try history(school, "M1").allSatisfy { $0.kind != .undo })

        budget.unlimited()
        let (_, report) = try await undo(school, plan: night.id)
        #expect(budget.writes.withLock { $0 } == before + 3, "the write the stopped run made is not made again")
        #expect(report.undone.count == 5 && report.notUndone.isEmpty, "\(report.notUndone)")
        #expect(try await school.person(misID: "M1")?.fields["address"] == nil)
        #expect(try await school.person(misID: "M3")?.name.legalSurname == "Roe")
    }

    @Test("a plan-undo payload is checked at enqueue: a plan id is needed, and no other key", arguments: [
        #"{}"#, #"{"plan": "x"}"#, #"{"plan": 0}"#, #"{"plan": 3, "who": "M1"}"#, #"{"plan": 3, "misId": ""}"#,
    ])
    func payloadValidation(payload: String) throws {
        let handler = PlanUndoHandler(environment: try SyncFixture().environment)
        #expect(throws: PayloadError.self) { try handler.validate(try JSONPayload(text: payload)) }
    }

    @Test("history prune keeps what is younger than each integration's history-keep (or --older-than), and doctor counts what is past it", arguments: SyncBackendTests.Backend.available)
    func pruneKeepsYounger(backend: SyncBackendTests.Backend) async throws {
        try await SyncBackendTests.withSchool(backend) { school in
            _ = try await nightOfChanges(school)
            let store = try school.store
            let all = try store.connection.scalarInt("SELECT count(*) FROM person_changes") ?? 0
            #expect(all > 10)
            // Amy's rows are 401 days old, Ben's 30: only Amy's are past the default 400 days.
            let day: Int64 = 86_400_000
            let now = JobStore.now()
            _ = try store.connection.run("UPDATE person_changes SET at = ? WHERE mis_id = 'M1'", [now - 401 * day])
            _ = try store.connection.run("UPDATE person_changes SET at = ? WHERE mis_id = 'M2'", [now - 30 * day])
            let service = IntegrationService(environment: school.environment)
            let amyRows = try store.personHistory(integration: "oak", misID: "M1").count
            #expect(try service.historyCounts().first?.pastRetention == amyRows)
            #expect(try service.pruneHistory(olderThan: nil).first?.pruned == amyRows)
            #expect(try store.personHistory(integration: "oak", misID: "M1").isEmpty)
            #expect(try store.personHistory(integration: "oak", misID: "M2").count == 2)
            #expect(try service.historyCounts().first?.pastRetention == 0)
            // An explicit age overrides the setting; history-keep takes 1d to 3650d.
            #expect(try service.pruneHistory(olderThan: 7 * day).first?.pruned == 2)
            #expect(try store.connection.scalarInt("SELECT count(*) FROM person_changes") == all - Int64(amyRows) - 2)
            var settings = IntegrationSettings()
            try settings.set("history-keep", "30d")
            #expect(settings.historyKeep == 30)
            for bad in ["0d", "3651d", "1y", ""] { #expect(throws: SyncError.self) { try settings.set("history-keep", bad) } }
        }
    }
}
