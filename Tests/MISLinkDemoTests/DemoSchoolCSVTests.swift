import CSVConnector
import Foundation
import MISLinkDemo
import MISLinkKit
import MISLinkSync
import Testing

struct DemoSchoolCSVTests {
    private let context = PluginContext.silent

    @Test("writes the CSV connector's default headers")
    func headers() async throws {
        try await withFreshExportFolder { folder in
            try DemoSchool.generate(pupils: 20, staff: 3).writeCSV(to: folder)
            let tail = "email,mobile,address,postcode,start_date,end_date,status,consent,photo"
            let student =
                "mis_id,upn,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,"
                + "gender,year_group,reg_group,\(tail)"
            #expect(try headerLine(of: "students.csv", in: folder) == student)
            #expect(try headerLine(of: "preadmissions.csv", in: folder) == student + ",expected_start_date")
            #expect(
                try headerLine(of: "staff.csv", in: folder)
                    == "mis_id,ni_number,title,legal_forename,legal_surname,preferred_forename,preferred_surname,"
                    + "date_of_birth,gender,post,\(tail)")
            #expect(
                try headerLine(of: "contacts.csv", in: folder)
                    == "mis_id,student_mis_id,relationship,forename,surname,email,mobile,priority,parental_responsibility"
            )
        }
    }

    @Test(
        "reads back the same pupils, staff, pre-admissions and contacts through the CSV connector",
        arguments: [
            DemoSchool.generate(), DemoSchool.generate().nextDay(seed: 5),
            DemoSchool.generate(seed: 9, pupils: 45, staff: 8),
        ])
    func roundTrip(school: DemoSchool) async throws {
        try await withFreshExportFolder { folder in
            try school.writeCSV(to: folder)
            let connector = CSVConnector(directory: folder)
            #expect(try await connector.readPupils(changedSince: nil, context: context) == school.pupils)
            #expect(try await connector.readStaff(changedSince: nil, context: context) == school.staff)
            #expect(try await connector.readPreAdmissions(changedSince: nil, context: context) == school.preAdmissions)
            #expect(try await connector.readContacts(changedSince: nil, context: context) == school.contacts)
        }
    }

    @Test("quotes commas, quotes and line breaks so that they read back unchanged")
    func quoting() async throws {
        let born = try #require(CalendarDate(year: 2019, month: 10, day: 2))
        let pupil = Pupil(
            details: PersonDetails(
                misID: "P1", name: PersonName(legalForename: "Zoë \"Zo\"", legalSurname: "O'Connor, Smith-Jones"),
                dateOfBirth: born, address: "Flat 2, \"The Mill\"\r\n14 Mill Road\nCambridge", postcode: "CB1 2AB",
                status: .inactive, consent: false),
            upn: UPN.make(la: 873, establishment: 2468, year: 24, serial: 1), yearGroup: "Y2", regGroup: "2B")
        let contact = Contact(
            misID: "C1", studentMisID: "P1", relationship: "Mother, step", forename: "Siân", surname: "D'Souza",
            priority: 1, parentalResponsibility: true)
        let school = DemoSchool(
            importDate: DemoSchool.firstImportDate, pupils: [pupil], staff: [], preAdmissions: [], contacts: [contact])
        try await withFreshExportFolder { folder in
            try school.writeCSV(to: folder)
            let connector = CSVConnector(directory: folder)
            #expect(try await connector.readPupils(changedSince: nil, context: context) == [pupil])
            #expect(try await connector.readContacts(changedSince: nil, context: context) == [contact])
            #expect(try await connector.readStaff(changedSince: nil, context: context).isEmpty)
        }
    }

    @Test("replaces the files of an earlier export")
    func overwrites() async throws {
        try await withFreshExportFolder { folder in
            let today = DemoSchool.generate(pupils: 50, staff: 5)
            let tomorrow = today.nextDay(seed: 3)
            try today.writeCSV(to: folder)
            try tomorrow.writeCSV(to: folder)
            let pupils = try await CSVConnector(directory: folder).readPupils(changedSince: nil, context: context)
            #expect(pupils == tomorrow.pupils)
        }
    }
}
