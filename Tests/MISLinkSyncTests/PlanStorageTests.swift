import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
@testable import MISLinkSync
import SQLiteDB
import Testing

/// How a plan is kept: field maps and contacts survive the trip through JSON, a record survives the
/// trip through its standard fields, and a plan goes with its job when jobs are pruned.
@Suite struct PlanStorageTests {
    @Test("field maps with quotes, backslashes, line breaks, control characters and accents come back as written")
    func fieldMapsRoundTrip() throws {
        let fields = ["address": "1 \"Old\" Road\nFlat\t2\\b", "name": "Zoë O'Neill", "odd": "\u{1}\u{1F}", "empty": ""]
        let text = PlanJSON.encode(fields)
        #expect(PlanJSON.decodeFields(text) == fields)
        #expect(PlanJSON.encode([:]) == "{}")
    }

    @Test("contacts come back with every field, and without the optional ones")
    func contactsRoundTrip() throws {
        let contacts = [
            Contact(misID: "C1", studentMisID: "M1", relationship: "Mother", forename: "Ann", surname: "Lee",
                    email: "ann@example.org", mobile: "07700900001", priority: 1, parentalResponsibility: true),
            Contact(misID: "C2", studentMisID: "M1", forename: "Bo", surname: "Lee", parentalResponsibility: false),
        ]
        #expect(PlanJSON.decodeContacts(PlanJSON.encode(contacts)) == contacts)
    }

    @Test("a record rebuilt from its standard fields is the record", arguments: [PersonRole.pupil, .preAdmission, .staff])
    func recordRoundTrip(role: PersonRole) throws {
        let details = PersonDetails(
            misID: "X1", name: PersonName(legalForename: "Amelia", legalSurname: "Lee", preferredForename: "Amy"),
            dateOfBirth: CalendarDate(iso: "2018-03-14"), gender: "F", email: "a@example.org", mobile: "07700900002",
            address: "1 High St", postcode: "OX1 1AA", startDate: CalendarDate(iso: "2022-09-01"),
            endDate: CalendarDate(iso: "2027-07-20"), status: .inactive, consent: false, photo: "photos/x1.jpg")
        let pupil = Pupil(details: details, upn: "A123", yearGroup: "R", regGroup: "RA")
        let record: PersonRecord =
            switch role {
            case .pupil: .pupil(pupil)
            case .preAdmission: .preAdmission(PreAdmission(pupil: pupil, expectedStartDate: CalendarDate(iso: "2027-09-01")))
            case .staff: .staff(StaffMember(details: details, niNumber: "AB123456C", title: "Dr", post: "Teacher"))
            }
        #expect(PersonRecord(role: role, standardFields: record.standardFields) == record)
    }

    @Test("pruning a finished job deletes its plan and steps")
    func prunedWithJob() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration { $0.settings.newRecords = .create }
        let job = try await school.run(JobKinds.nightlyImport)
        #expect(try school.store.planSteps(jobID: job.id).count == 1)
        #expect(try school.jobs.prune(finishedBefore: JobStore.now() + 1) == 1)
        #expect(try school.store.planSteps(jobID: job.id).isEmpty)
        #expect(try school.store.connection.scalarInt("SELECT count(*) FROM import_plans") == 0)
    }
}
