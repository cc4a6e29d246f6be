import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB
import Testing

@Suite struct AdminFlowTests {
    @Test("the setup wizard checks the connection, matches, and moves Pending to Ready")
    func wizardFromPending() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        _ = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(misID: "M1", name: PersonName(legalForename: "Amy", legalSurname: "Lee")))))
        try school.addIntegration(status: .pending)
        let job = try await school.run("rerun-wizard")
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        #expect(try school.integration().status == .ready)
        #expect(try school.store.links(integration: "oak").map(\.rule) == ["mis-id"])
    }

    @Test("a wizard that cannot reach the MIS fails and moves the integration to Error with the reason")
    func wizardFails() async throws {
        let school = try SyncFixture()
        try school.addIntegration(status: .pending) { $0.config["dir"] = "/nonexistent/export" }
        let job = try await school.run("rerun-wizard")
        #expect(job.state == .failed)
        let integration = try school.integration()
        #expect(integration.status == .error)
        #expect(integration.errorReason?.contains("rerun-wizard") == true)
    }

    @Test("re-running the wizard removes the integration's own links, never manual ones, then matches again; Error → On")
    func wizardKeepsManualLinks() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng")])
        let amy = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(misID: "", name: PersonName(legalForename: "Someone", legalSurname: "Else")))))
        try school.addIntegration(status: .error, wentLive: true)
        let store = try school.store
        try store.link(Link(integration: "oak", role: .pupil, misID: "M1", targetID: amy, origin: .manual, rule: "manual", createdAt: 0))
        try store.link(Link(integration: "oak", role: .pupil, misID: "M2", targetID: "P999999", origin: .integration, rule: "name-dob", createdAt: 0))
        let job = try await school.run("rerun-wizard")
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        let links = try school.store.links(integration: "oak")
        #expect(links.map(\.misID) == ["M1"])
        #expect(links.first?.origin == .manual)
        #expect(try school.integration().status == .on)
    }

    @Test("re-match links staff by NI number only and reports the rest; Error → On")
    func rematch() async throws {
        let school = try SyncFixture()
        try school.writeExport(staff: [
            staffRow("E1", "Jo", "Bloggs", ni: "ab 12 34 56 c"), staffRow("E2", "Al", "Smith"), staffRow("E3", "Cy", "Twin", ni: "CE123456A"),
        ])
        let jo = try await school.library.addManual(.staff(StaffMember(details: PersonDetails(misID: "", name: PersonName(legalForename: "Joanne", legalSurname: "B")), niNumber: "AB123456C")))
        _ = try await school.library.addManual(.staff(StaffMember(details: PersonDetails(misID: "", name: PersonName(legalForename: "Al", legalSurname: "Smith"), dateOfBirth: CalendarDate(iso: "1985-01-02")))))
        try school.addIntegration(status: .error, wentLive: true)
        let job = try await school.run("rematch")
        let report = try school.report(of: job)
        #expect(report.matched == 1)
        #expect(report.skippedReasons["no NI number in the MIS"] == 1)
        #expect(report.skippedReasons["no staff record in the target has this NI number"] == 1)
        #expect(try school.store.links(integration: "oak").map(\.targetID) == [jo])
        #expect(try school.integration().status == .on)
    }

    @Test("a refused action fails the job naming the status, and does not move the integration to Error")
    func refusedAtRunTime() async throws {
        let school = try SyncFixture()
        try school.addIntegration(status: .ready)
        let job = try await school.run("rematch")
        #expect(job.state == .failed)
        #expect(job.lastError?.contains("Ready") == true)
        #expect(try school.integration().status == .ready)
    }

    @Test("a write-back reaches the MIS once per event, however often it is sent")
    func writeBackOnce() async throws {
        let school = try SyncFixture()
        try school.addIntegration()
        let payload = #"{"eventId":"e-1","studentMisId":"M1","date":"2026-11-27","session":"AM","code":"L","minutesLate":5}"#
        let first = try await school.run("write-back", payload: payload)
        let second = try await school.run("write-back", payload: payload)
        #expect(first.state == .succeeded && second.state == .succeeded)
        #expect(second.result?.contains("already-written") == true)
        let file = try String(contentsOf: school.mis.appendingPathComponent("writeback.csv"), encoding: .utf8)
        #expect(file.split(whereSeparator: \.isNewline).count == 2)
    }

    @Test("absence sync off stops write-back")
    func absenceSyncOff() async throws {
        let school = try SyncFixture()
        try school.addIntegration { $0.absenceSync = false }
        let job = try await school.run("write-back", payload: #"{"eventId":"e-1","studentMisId":"M1","date":"2026-11-27","session":"PM","code":"L","minutesLate":5}"#)
        #expect(job.result?.contains("absence sync is off") == true)
        #expect(!FileManager.default.fileExists(atPath: school.mis.appendingPathComponent("writeback.csv").path))
    }

    @Test("write-back payloads are checked", arguments: [
        (#"{"studentMisId":"M1","date":"2026-11-27","session":"AM","code":"L"}"#, "needs 'eventId'"),
        (#"{"eventId":"e","studentMisId":"M1","date":"27/11/2026","session":"AM","code":"L"}"#, "'date' must be a date"),
        (#"{"eventId":"e","studentMisId":"M1","date":"2026-11-27","session":"noon","code":"L"}"#, "AM or PM"),
        (#"{"eventId":"e","studentMisId":"M1","date":"2026-11-27","session":"AM","code":"ZZ"}"#, "not a current DfE attendance code"),
        (#"{"eventId":"e","studentMisId":"M1","date":"2026-11-27","session":"AM","code":"M","minutesLate":10}"#, "must use code L or U"),
        (#"{"eventId":"e","studentMisId":"M1","date":"2026-11-27","session":"AM","code":"L","extra":1}"#, "'extra' is not known"),
    ])
    func writeBackPayloads(payload: String, message: String) throws {
        let school = try SyncFixture()
        let handlers = SyncHandlers.registry(environment: school.environment)
        let error = try #require(throws: PayloadError.self) {
            try handlers.handler(for: "write-back")!.validate(try JSONPayload(text: payload))
        }
        #expect(error.message.contains(message))
    }

    @Test("intake: match makes a manual link, transfer creates the record, exclude stops it")
    func intakeDecisions() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng"), student("M3", "Cat", "Roe")])
        let someone = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(misID: "", name: PersonName(legalForename: "A.", legalSurname: "Lee")))))
        try school.addIntegration(status: .ready)
        _ = try await school.run("initial-upload")
        let entries = try school.store.intake(integration: "oak")
        #expect(entries.count == 3)
        let desk = IntakeDesk(environment: school.environment)
        let id = { (mis: String) in entries.first { $0.misID == mis }!.id }
        _ = try await desk.decide(id("M1"), .match(targetID: someone))
        let transferred = try await desk.decide(id("M2"), .transfer)
        _ = try await desk.decide(id("M3"), .exclude)
        let links = try school.store.links(integration: "oak")
        #expect(links.map(\.origin) == [.manual, .manual])
        #expect(links.first { $0.misID == "M1" }?.targetID == someone)
        #expect(try await school.library.person(try require(transferred.targetID, "target id"))?.misID == "M2")
        #expect(try school.store.exclusions(integration: "oak").map(\.misID) == ["M3"])
        #expect(try school.store.intake(integration: "oak").isEmpty)
        await #expect(throws: SyncError.self) { _ = try await desk.decide(id("M1"), .transfer) }
    }

    @Test("remove deletes every piece of the integration's sync information")
    func remove() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng")])
        _ = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(misID: "M1", name: PersonName(legalForename: "Amy", legalSurname: "Lee")))))
        try school.addIntegration(status: .ready)
        _ = try await school.run("initial-upload")
        let store = try school.store
        try store.exclude(integration: "oak", misID: "M9", now: 0)
        let counts = try store.remove("oak")
        #expect(counts.links == 1 && counts.intake == 1 && counts.exclusions == 1 && counts.imports == 1)
        for table in ["links", "intake", "exclusions", "imports", "writebacks", "nightly_runs"] {
            #expect(try store.connection.scalarInt("SELECT count(*) FROM \(table)") == 0, "\(table)")
        }
        #expect(try store.integration("oak") == nil)
    }

    @Test("the nightly import is enqueued once a day at its local time, only while On")
    func nightlySchedule() throws {
        let school = try SyncFixture()
        try school.addIntegration("oak") { $0.settings.nightlyAt = "02:00"; $0.settings.timeZone = "Europe/London" }
        try school.addIntegration("elm", status: .off)
        let scheduler = NightlyScheduler(environment: school.environment)
        // 01:59 and 02:00 London time on 27 November (GMT, so UTC too).
        let before = Date(timeIntervalSince1970: 1_795_744_740)
        let at = Date(timeIntervalSince1970: 1_795_744_800)
        #expect(try scheduler.tick(now: before).isEmpty)
        let due = try scheduler.tick(now: at)
        #expect(due.map(\.integration) == ["oak"])
        #expect(try scheduler.tick(now: at.addingTimeInterval(3600)).isEmpty)
        #expect(try scheduler.tick(now: at.addingTimeInterval(86_400)).map(\.integration) == ["oak"])
    }

    @Test("a secret is read from where it lives, never stored, and scrubbed from job errors")
    func secrets() async throws {
        let secretDir = "/nonexistent/s3cr3t-export-path"
        let school = try SyncFixture(environment: ["MIS_DIR": secretDir])
        try school.addIntegration(status: .pending, secrets: ["dir": .environment("MIS_DIR")])
        let row = try school.store.connection.scalarString("SELECT secrets || config FROM integrations")
        #expect(row?.contains("s3cr3t") == false)
        let job = try await school.run("rerun-wizard")
        #expect(job.state == .failed)
        #expect(job.lastError?.contains("s3cr3t") == false)
        #expect(job.lastError?.contains("(secret)") == true)
        #expect(try school.integration().errorReason?.contains("s3cr3t") == false)
    }
}

@Suite struct TargetViewTests {
    @Test("a leaver restored from the recycle bin is back in the target, and stays linked")
    func restore() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: (1...20).map { student("M\($0)", "Kid\($0)", "Roe") })
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        try school.writeExport(students: (1...20).map { student("M\($0)", "Kid\($0)", "Roe", end: $0 == 1 ? "2026-11-01" : "") })
        _ = try await school.run("nightly-import")
        let leaver = try require(try await school.person(misID: "M1"), "leaver")
        #expect(leaver.inRecycleBin)
        let desk = IntakeDesk(environment: school.environment)
        try await desk.restore(try school.integration(), targetID: leaver.targetID)
        #expect(try await school.person(misID: "M1")?.inRecycleBin == false)
        #expect(try school.store.links(integration: "oak").contains { $0.misID == "M1" && $0.targetID == leaver.targetID })
    }

    @Test("the changes report lists edits made in the target; the next import overwrites them, records them, and copies nothing back")
    func changesReport() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee", year: "3"), student("M2", "Ben", "Ng")])
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        let amy = try require(try await school.person(misID: "M1"), "Amy")
        try await school.library.editField(amy.targetID, field: "year_group", value: "4")
        let report = ChangesReport(environment: school.environment)
        let pending = try await report.changes(try school.integration(), links: try school.store.links(integration: "oak"))
        #expect(pending == [
            TargetChange(role: .pupil, misID: "M1", targetID: amy.targetID, field: "year_group", sentValue: "3", targetValue: "4", status: .pending)
        ])
        // The next import puts the MIS's value back and keeps a record of the edit it overwrote.
        let next = try school.report(of: try await school.run("nightly-import"))
        #expect(next.targetEdits == 1 && next.updated == 1)
        #expect(try await school.person(misID: "M1")?.fields["year_group"] == "3")
        let after = try await report.changes(try school.integration(), links: try school.store.links(integration: "oak"))
        #expect(after.map(\.status) == [.overwritten])
        #expect(after.first?.targetValue == "4")
        let export = try String(contentsOf: school.mis.appendingPathComponent("students.csv"), encoding: .utf8)
        #expect(export.contains("M1,,Amy,Lee,,,2018-03-14,F,3,"))
    }

    @Test("a change made in the MIS is not reported as a target edit")
    func misChangeIsNotATargetEdit() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee", year: "3")])
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        try school.writeExport(students: [student("M1", "Amy", "Lee", year: "4")])
        let next = try school.report(of: try await school.run("nightly-import"))
        #expect(next.targetEdits == 0 && next.updated == 1)
        let changes = try await ChangesReport(environment: school.environment)
            .changes(try school.integration(), links: try school.store.links(integration: "oak"))
        #expect(changes.isEmpty)
    }
}
