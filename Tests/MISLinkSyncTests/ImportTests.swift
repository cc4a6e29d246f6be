import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import Synchronization
import Testing

/// Rows for students.csv, in the default header order.
func student(
    _ misID: String, _ forename: String, _ surname: String, upn: String = "", dob: String = "2018-03-14",
    year: String = "2", email: String = "", mobile: String = "", address: String = "", end: String = "",
    status: String = "active", consent: String = "", preferred: String = ""
) -> String {
    [misID, upn, forename, surname, preferred, "", dob, "F", year, "\(year)A", email, mobile, address, "OX1 1AA", "2022-09-01", end, status, consent]
        .map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",")
}

func staffRow(_ misID: String, _ forename: String, _ surname: String, ni: String = "", post: String = "Teacher") -> String {
    [misID, ni, "Ms", forename, surname, "", "", "1985-01-02", "F", post, "", "", "", "", "2020-09-01", "", "active", ""].joined(separator: ",")
}

@Suite struct ImportTests {
    @Test("the initial upload matches, creates or sends to intake, reports it, and turns a Ready integration On")
    func initialUpload() async throws {
        let school = try SyncFixture()
        let upn = UPN.make(la: 330, establishment: 2001, year: 18, serial: 1)
        try school.writeExport(students: [
            student("M1", "Amy", "Lee", upn: upn), student("M2", "Ben", "Ng"), student("M3", "Cat", "Roe"),
            student("M4", "Dan", "Ode"), student("M5", "Dan", "Ode"),
        ])
        _ = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(misID: "", name: PersonName(legalForename: "X", legalSurname: "Y")), upn: upn)))
        _ = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(misID: "", name: PersonName(legalForename: "BEN", legalSurname: "ng"), dateOfBirth: CalendarDate(iso: "2018-03-14")))))
        _ = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(misID: "", name: PersonName(legalForename: "Dan", legalSurname: "Ode"), dateOfBirth: CalendarDate(iso: "2018-03-14")))))
        try school.addIntegration(status: .ready)
        let job = try await school.run("initial-upload")
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        let report = try school.report(of: job)
        #expect(report.matched == 2)
        #expect(report.matchedBy == ["upn": 1, "name-dob": 1])
        #expect(report.toIntake == 3)  // Cat (no match) and the two Dans (shared name: ambiguous)
        #expect(report.added == 0)
        #expect(try school.integration().status == .on)
        #expect(try school.store.intake(integration: "oak").map(\.misID).sorted() == ["M3", "M4", "M5"])
        #expect(try school.store.links(integration: "oak").map(\.misID) == ["M1", "M2"])
        let history = try school.store.imports(integration: "oak")
        #expect(history.first?.matched == 2)
        #expect(history.first?.toIntake == 3)
    }

    @Test("with new-records=create an unmatched record is created in the target and linked")
    func createPolicy() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee", address: "1 High St")])
        try school.addIntegration { $0.settings.newRecords = .create }
        let job = try await school.run("nightly-import")
        #expect(try school.report(of: job).added == 1)
        let person = try require(try await school.person(misID: "M1"), "created person")
        #expect(person.fields["address"] == "1 High St")
        #expect(try school.store.links(integration: "oak").first?.rule == "created")
        // A second run changes nothing and creates no one again.
        let again = try school.report(of: try await school.run("nightly-import"))
        #expect(again.added == 0 && again.unchanged == 1)
    }

    @Test("lawful basis consent shares only records whose consent flag is set")
    func consent() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [
            student("M1", "Amy", "Lee", consent: "yes"), student("M2", "Ben", "Ng", consent: "no"), student("M3", "Cat", "Roe"),
        ])
        try school.addIntegration { $0.settings.newRecords = .create; $0.settings.lawfulBasis = .consent }
        let report = try school.report(of: try await school.run("nightly-import"))
        #expect(report.added == 1)
        #expect(report.skippedReasons["no consent flag (lawful basis: consent)"] == 2)
        #expect(try await school.people().map(\.misID) == ["M1"])
    }

    @Test("field selection leaves out what is not selected, and legal names drop preferred ones")
    func fieldSelection() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amelia", "Lee", email: "a@example.org", mobile: "07700900001", address: "1 High St", preferred: "Amy")])
        try school.addIntegration {
            $0.settings.newRecords = .create
            $0.settings.fields = [.email]
            $0.settings.names = .legal
        }
        _ = try await school.run("nightly-import")
        let person = try require(try await school.person(misID: "M1"), "person")
        #expect(person.email == "a@example.org")
        #expect(person.mobile == nil)
        #expect(person.fields["address"] == nil)
        #expect(person.name.preferredForename == nil)
    }

    @Test("contact details of a person registered in the target are never overwritten")
    func registeredContactDetails() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee", year: "3", email: "mis@example.org")])
        let id = try await school.library.addManual(
            .pupil(Pupil(details: PersonDetails(misID: "M1", name: PersonName(legalForename: "Amy", legalSurname: "Lee"), email: "own@example.org"), yearGroup: "2")),
            registered: true)
        try school.addIntegration()
        _ = try await school.run("nightly-import")
        let person = try require(try await school.library.person(id), "person")
        #expect(person.email == "own@example.org")
        #expect(person.fields["year_group"] == "3")
    }

    @Test("an excluded person is not imported; the report says so")
    func exclusion() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng")])
        try school.addIntegration { $0.settings.newRecords = .create }
        let store = try school.store
        try store.exclude(integration: "oak", misID: "M2", now: 0)
        let report = try school.report(of: try await school.run("nightly-import"))
        #expect(report.skippedReasons["excluded by an admin"] == 1)
        #expect(try await school.people().map(\.misID) == ["M1"])
    }

    @Test("year groups other than R and 1–6 are flagged for a primary school")
    func yearGroups() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee", year: "Y2"), student("M2", "Ben", "Ng", year: "R")])
        try school.addIntegration()
        let report = try school.report(of: try await school.run("nightly-import"))
        let yearWarnings = report.warnings.filter { !$0.hasPrefix("csv: ") }
        #expect(yearWarnings.count == 1)
        #expect(yearWarnings.first?.contains("M1") == true)
    }

    @Test("leavers go to the recycle bin through their own jobs, keep their link and are never re-created")
    func leavers() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: (1...20).map { student("M\($0)", "Kid\($0)", "Roe") })
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        try school.writeExport(students: (1...20).map {
            $0 == 1 ? student("M1", "Kid1", "Roe", end: "2026-11-20", status: "inactive") : student("M\($0)", "Kid\($0)", "Roe")
        } + [student("M99", "Gone", "Before", end: "2026-07-01", status: "inactive")])
        let report = try school.report(of: try await school.run("nightly-import"))
        #expect(report.leavers == 1)
        #expect(report.skippedReasons["leaver not in the target"] == 1)
        let leaver = try require(try await school.person(misID: "M1"), "leaver")
        #expect(leaver.inRecycleBin)
        #expect(try school.store.links(integration: "oak").contains { $0.misID == "M1" })
        let third = try school.report(of: try await school.run("nightly-import"))
        #expect(third.added == 0 && third.leavers == 0)
        #expect(try await school.people().count == 20)
    }

    @Test("the mass-leaver guard holds an import that would empty the target, until it is allowed")
    func massLeaverGuard() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: (1...10).map { student("M\($0)", "Kid\($0)", "Roe") })
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        try school.writeExport(students: (1...10).map { student("M\($0)", "Kid\($0)", "Roe", end: $0 <= 5 ? "2026-11-01" : "") })
        let stopped = try await school.run("nightly-import")
        #expect(stopped.state == .succeeded)
        #expect(stopped.result?.contains("5 of 10 current records would move to the recycle bin (50%), over the limit 10%") == true, "\(stopped.result ?? "")")
        #expect(try await school.people().allSatisfy { !$0.inRecycleBin })
        #expect(try school.integration().status == .on)  // a safety stop, not a fault
        let allowed = try await school.run("nightly-import", payload: #"{"allowMassLeavers": true}"#)
        #expect(try school.report(of: allowed).leavers == 5)
        #expect(try await school.people().filter(\.inRecycleBin).count == 5)
    }

    @Test("a broken export fails the import permanently, names the place, touches nothing and moves the integration to Error")
    func brokenExport() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        try school.writeExport(students: [student("M1", "Amy", "Lee-Changed"), student("M2", "Ben", "Ng", dob: "2018-02-30")])
        let job = try await school.run("nightly-import")
        #expect(job.state == .failed)
        #expect(job.lastError?.contains("students.csv line 3, column date_of_birth") == true)
        #expect(try await school.person(misID: "M1")?.name.legalSurname == "Lee")
        let integration = try school.integration()
        #expect(integration.status == .error)
        #expect(integration.errorReason?.contains("students.csv line 3") == true)
    }

    @Test("off pauses: a nightly import that was queued does nothing")
    func offPauses() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration(status: .off) { $0.settings.newRecords = .create }
        let job = try await school.run("nightly-import")
        #expect(job.state == .succeeded)
        #expect(job.result?.contains("skipped") == true)
        #expect(try await school.people().isEmpty)
    }

    @Test("staff sync off sends no staff; contract sync off keeps the target's post")
    func staffAndContractSync() async throws {
        let school = try SyncFixture()
        try school.writeExport(staff: [staffRow("E1", "Jo", "Bloggs", ni: "AB123456C", post: "Head")])
        try school.addIntegration { $0.settings.newRecords = .create; $0.staffSync = false }
        _ = try await school.run("nightly-import")
        #expect(try await school.people().isEmpty)

        var integration = try school.integration()
        integration.staffSync = true
        try school.store.save(integration)
        _ = try await school.run("nightly-import")
        #expect(try await school.person(misID: "E1")?.fields["post"] == "Head")
        integration = try school.integration()
        integration.contractSync = false
        try school.store.save(integration)
        try school.writeExport(staff: [staffRow("E1", "Jo", "Bloggs", ni: "AB123456C", post: "Deputy")])
        _ = try await school.run("nightly-import")
        #expect(try await school.person(misID: "E1")?.fields["post"] == "Head")
    }
}

@Suite struct ContactSyncTests {
    @Test("guardian contacts go to the target when shared, in priority order, and again only when they change")
    func guardians() async throws {
        let school = try SyncFixture()
        let contacts = ["C2,M1,Father,Tom,Lee,tom@example.org,07700900002,2,yes", "C1,M1,Mother,Ann,Lee,ann@example.org,07700900001,1,yes"]
        try school.writeExport(students: [student("M1", "Amy", "Lee")], contacts: contacts)
        try school.addIntegration { $0.settings.newRecords = .create }
        let first = try school.report(of: try await school.run("nightly-import"))
        #expect(first.contactsUpdated == 1)
        #expect(try await school.person(misID: "M1")?.contacts.map(\.forename) == ["Ann", "Tom"])
        let unchanged = try school.report(of: try await school.run("nightly-import"))
        #expect(unchanged.contactsUpdated == 0)
        try school.writeExport(students: [student("M1", "Amy", "Lee")], contacts: [contacts[0], "C1,M1,Mother,Ann,Lee,ann.new@example.org,07700900001,1,yes"])
        let changed = try school.report(of: try await school.run("nightly-import"))
        #expect(changed.contactsUpdated == 1)
        #expect(try await school.person(misID: "M1")?.contacts.first?.email == "ann.new@example.org")
    }

    @Test("guardian contacts stay in the MIS when the integration does not share them")
    func notShared() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")], contacts: ["C1,M1,Mother,Ann,Lee,,,1,yes"])
        try school.addIntegration { $0.settings.newRecords = .create; $0.settings.fields.remove(.guardians) }
        let report = try school.report(of: try await school.run("nightly-import"))
        #expect(report.contactsRead == 0 && report.contactsUpdated == 0)
        #expect(try await school.person(misID: "M1")?.contacts.isEmpty == true)
    }
}

@Suite struct DeltaTests {
    @Test("a nightly import after an earlier one asks the connector only for changes since then, with an hour's overlap")
    func changedSince() async throws {
        let log = ChangedSinceLog()
        let school = try SyncFixture(recording: log)
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        let firstStart = try #require(try school.store.imports(integration: "oak").first?.startedAt)
        _ = try await school.run("nightly-import")
        let asked = log.values.withLock { $0 }
        #expect(asked.count == 2)
        #expect(asked[0] == nil)
        let since = try #require(asked[1])
        let expected = Date(timeIntervalSince1970: Double(firstStart) / 1000 - 3600)
        #expect(abs(since.timeIntervalSince(expected)) < 1)
    }
}
