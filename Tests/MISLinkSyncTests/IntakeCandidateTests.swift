import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
@testable import MISLinkSync
import SQLiteDB
import Testing

@Suite struct IntakeCandidateTests {
    static let dob = CalendarDate(year: 2018, month: 3, day: 14)!
    static let upn = UPN.make(la: 330, establishment: 2001, year: 18, serial: 7)

    func pupil(_ misID: String, _ forename: String, _ surname: String, upn: String? = nil, dob: CalendarDate? = Self.dob) -> MISPerson {
        MISPerson(.pupil(Pupil(
            details: PersonDetails(misID: misID, name: PersonName(legalForename: forename, legalSurname: surname), dateOfBirth: dob),
            upn: upn)))
    }

    func held(_ id: String, _ forename: String, _ surname: String, role: PersonRole = .pupil, misID: String? = nil,
              upn: String? = nil, dob: CalendarDate? = Self.dob) -> TargetPerson {
        TargetPerson(targetID: id, role: role, misID: misID, upn: upn, name: PersonName(legalForename: forename, legalSurname: surname),
                     dateOfBirth: dob)
    }

    @Test("candidates come strongest first, each record once: UPN, MIS id, name and date of birth, then name alone")
    func order() {
        var matcher = Matcher(
            targetPeople: [
                held("T5", "Amy", "Lee", dob: CalendarDate(year: 2017, month: 1, day: 1)), held("T4", "amy", "LEE"),
                held("T3", "Someone", "Else", misID: "M1"), held("T9", "Other", "Name", misID: "M1"),
                held("T1", "X", "Y", upn: Self.upn), held("T2", "Z", "W", upn: Self.upn), held("T6", "Amy", "Lee", upn: Self.upn),
            ], links: [])
        let person = pupil("M1", "Amy", "Lee", upn: Self.upn)
        #expect(matcher.match(person) == .ambiguous(["T4", "T6"]))
        let candidates = matcher.candidates(for: person)
        #expect(candidates.map(\.targetID) == ["T1", "T2", "T6", "T3", "T9"])
        #expect(candidates.map(\.basis) == [.upn, .upn, .upn, .misID, .misID])
        var wide = Matcher(targetPeople: [held("T4", "amy", "LEE"), held("T5", "Amy", "Lee", dob: CalendarDate(year: 2017, month: 1, day: 1))], links: [])
        #expect(wide.candidates(for: pupil("M1", "Amy", "Lee")).map(\.basis) == [.nameAndDateOfBirth, .name])
    }

    @Test("at most five, of the record's role, never a record linked to someone else, never on an empty name")
    func bounded() {
        let many = (0..<20).map { held("T\($0)", "Amy", "Lee", dob: CalendarDate(year: 2010, month: 1, day: $0 + 1)) }
        let staff = TargetPerson(targetID: "S1", role: .staff, name: PersonName(legalForename: "Amy", legalSurname: "Lee"), dateOfBirth: Self.dob)
        var matcher = Matcher(
            targetPeople: many + [staff],
            links: [Link(integration: "oak", role: .pupil, misID: "M9", targetID: "T0", origin: .manual, rule: "manual", createdAt: 0)])
        let candidates = matcher.candidates(for: pupil("M1", "Amy", "Lee"))
        #expect(candidates.count == IntakeCandidate.limit)
        #expect(!candidates.contains { $0.targetID == "T0" || $0.targetID == "S1" })
        var nameless = Matcher(targetPeople: [held("T1", "", "Lee", dob: nil)], links: [])
        #expect(nameless.candidates(for: pupil("M1", "", "Lee", dob: nil)).isEmpty)
    }

    @Test("a plan stopped before its end keeps its intake steps' candidates, and the resumed job records them")
    func resumedPlanKeepsCandidates() async throws {
        let budget = WriteBudget()
        let school = try SyncFixture(writeBudget: budget)
        try school.writeExport(students: [student("M1", "Amy", "Lee", dob: "2018-01-01"), student("N1", "New", "Kid")])
        for _ in 0..<2 {
            _ = try await school.library.addManual(.pupil(Pupil(details: PersonDetails(
                misID: "", name: PersonName(legalForename: "Amy", legalSurname: "Lee"), dateOfBirth: CalendarDate(iso: "2018-01-01")))))
        }
        try school.addIntegration(status: .ready) { $0.settings.newRecords = .create }
        budget.crash(after: 0)
        let crashed = try await school.run(JobKinds.initialUpload)
        #expect(crashed.state == .failed)
        let stored = try school.store.connection.scalarString(
            "SELECT candidates FROM plan_steps WHERE job_id = ? AND kind = 'intake'", [crashed.id])
        #expect(stored.flatMap(IntakeCandidate.decodeList)?.count == 2)
        budget.unlimited()
        try school.store.setStatus("oak", .ready, now: JobStore.now())
        try school.jobs.retry(id: crashed.id, extraAttempts: 1)
        try await school.drain()
        #expect(try school.jobs.job(id: crashed.id)?.state == .succeeded)
        let entry = try #require(try school.store.intake(integration: "oak").first)
        #expect(entry.misID == "M1" && entry.candidates?.count == 2)
    }
}
