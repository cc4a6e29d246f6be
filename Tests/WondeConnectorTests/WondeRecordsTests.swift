import Foundation
import MISLinkKit
import Testing

@testable import WondeConnector

/// Wonde's shapes (as the research note transcribes them) to the kit's records.
struct WondeRecordsTests {
    static let student = #"""
        {"id":"A1749191433","upi":"8d44","mis_id":"9919","initials":"TS","title":null,
         "surname":"Smith","forename":"Tommy","middle_names":null,"legal_surname":"Smith","legal_forename":"Thomas",
         "gender":"MALE","date_of_birth":{"date":"2010-02-11 00:00:00.000000","timezone_type":3,"timezone":"Europe/London"},
         "restored_at":null,
         "education_details":{"data":{"admission_number":"004504","upn":"N823432113104","local_upn":null,
           "current_nc_year":"6","admission_date":{"date":"2014-09-03 00:00:00.000000","timezone_type":3,"timezone":"Europe/London"},
           "leaving_date":null}},
         "contact_details":{"data":{"salutation":"Mr Smith","emails":{"email":"t@x.example","primary":"t@x.example","home":null,"work":null},
           "phones":{"phone":"0113","primary":"0113","home":null,"work":null,"mobile":"07700 900001"},
           "addresses":{"home":{"house_number":"1","street":"High St","town":"Leeds","postcode":"LS1 1AA"}}}},
         "registration":{"data":{"id":"G1","name":"6S"}},
         "classes":{"data":[{"id":"K1","name":"6S/Ma"},{"id":"K2","name":"6S"}]},
         "contacts":{"data":[
           {"id":"C1","mis_id":"771","forename":"Jane","surname":"Smith","legal_forename":"Janet","legal_surname":"Smith",
            "relationship":{"relationship":"Mother","priority":"1","parental_responsibility":true},
            "contact_details":{"data":{"emails":{"primary":"jane@home.example"},"phones":{"mobile":"07700 900002"}}}},
           {"id":"C2","mis_id":null,"forename":"Bob","surname":"Smith","relationship":{}},
           {"id":"C3","mis_id":"773","forename":"Ann","surname":"Lee","relationship":"Aunt"}]}}
        """#

    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    @Test(
        "a student maps to a Pupil: MIS id, legal and preferred names, UPN, NC year, registration group, contact details"
    )
    func pupil() throws {
        let student = try decode(WondeStudent.self, Self.student)
        let pupil = try WondeRecords.pupil(student, where: "students", registration: .registration)
        #expect(pupil.details.misID == "9919")
        #expect(
            pupil.details.name == PersonName(legalForename: "Thomas", legalSurname: "Smith", preferredForename: "Tommy")
        )
        #expect(pupil.details.dateOfBirth == CalendarDate(year: 2010, month: 2, day: 11))
        #expect(pupil.details.startDate == CalendarDate(year: 2014, month: 9, day: 3))
        #expect(pupil.details.endDate == nil)
        #expect(pupil.details.status == .active)
        #expect(pupil.details.gender == "MALE")
        #expect(pupil.upn == "N823432113104")
        #expect(pupil.yearGroup == "6")
        #expect(pupil.regGroup == "6S")
        #expect(pupil.details.email == "t@x.example")
        #expect(pupil.details.mobile == "07700 900001")
        #expect(pupil.details.address == "1 High St, Leeds")
        #expect(pupil.details.postcode == "LS1 1AA")
    }

    @Test("the registration group can come from the classes: the first whose name matches the pattern")
    func registrationFromClasses() throws {
        let student = try decode(WondeStudent.self, Self.student)
        #expect(
            try WondeRecords.pupil(student, where: "students", registration: .classes(pattern: "^[^/]+$")).regGroup
                == "6S")
        #expect(
            try WondeRecords.pupil(student, where: "students", registration: .classes(pattern: "/Ma$")).regGroup
                == "6S/Ma")
    }

    @Test("contacts carry priority and parental responsibility where Wonde gives them, and read without them")
    func contacts() throws {
        let contacts = try WondeRecords.contacts(of: try decode(WondeStudent.self, Self.student), where: "students")
        #expect(contacts.count == 3)
        #expect(
            contacts[0]
                == Contact(
                    misID: "771", studentMisID: "9919", relationship: "Mother", forename: "Janet", surname: "Smith",
                    email: "jane@home.example", mobile: "07700 900002", priority: 1, parentalResponsibility: true))
        // No mis_id: Wonde's id stands in. An empty relationship object: nothing known.
        #expect(contacts[1].misID == "C2")
        #expect(
            contacts[1].relationship == nil && contacts[1].priority == nil && contacts[1].parentalResponsibility == nil)
        // The relationship given as its name alone.
        #expect(contacts[2].relationship == "Aunt")
    }

    @Test("an include the school has not granted comes back null and leaves its fields empty")
    func refusedInclude() throws {
        let json =
            #"{"id":"A1","mis_id":"1","forename":"Ava","surname":"Hill","education_details":null,"contact_details":null,"registration":null}"#
        let pupil = try WondeRecords.pupil(
            try decode(WondeStudent.self, json), where: "students", registration: .registration)
        #expect(pupil.upn == nil && pupil.yearGroup == nil && pupil.regGroup == nil && pupil.details.email == nil)
        #expect(pupil.details.name == PersonName(legalForename: "Ava", legalSurname: "Hill"))
    }

    @Test("a record without a mis_id fails the read, naming the record and the endpoint")
    func missingMisID() throws {
        let student = try decode(WondeStudent.self, #"{"id":"A77","forename":"Ava","surname":"Hill"}"#)
        #expect {
            try WondeRecords.pupil(student, where: "students-leaver", registration: .registration)
        } throws: { error in
            (error as? PluginError)?.message.contains("A77 from students-leaver has no mis_id") == true
        }
    }

    @Test("an employee maps to a StaffMember: title, post, dates; never an NI number; not current means inactive")
    func staff() throws {
        let json = #"""
            {"id":"E1","mis_id":"S100","title":"Ms","forename":"Grace","surname":"Hall","legal_forename":"Grace","legal_surname":"Hall",
             "date_of_birth":"1980-05-04",
             "employment_details":{"data":{"current":"0","staff_code":"GH","role_text":"Class Teacher",
               "employment_start_date":{"date":"2015-09-01 00:00:00.000000","timezone_type":3,"timezone":"Europe/London"},
               "employment_end_date":"2026-08-31"}},
             "contact_details":{"data":{"emails":{"email":"gh@oak.example"},"phones":{},"addresses":[]}}}
            """#
        let member = try WondeRecords.staff(try decode(WondeEmployee.self, json), where: "employees")
        #expect(member.details.misID == "S100")
        #expect(member.niNumber == nil)
        #expect(member.title == "Ms")
        #expect(member.post == "Class Teacher")
        #expect(member.details.dateOfBirth == CalendarDate(year: 1980, month: 5, day: 4))
        #expect(member.details.startDate == CalendarDate(year: 2015, month: 9, day: 1))
        #expect(member.details.endDate == CalendarDate(year: 2026, month: 8, day: 31))
        #expect(member.details.status == .inactive)
        #expect(member.details.email == "gh@oak.example")
        #expect(member.details.address == nil)
    }

    @Test("a page reads per_page as a string or a number, and a page without pagination is the last")
    func pages() throws {
        let stringy = try decode(
            WondePage<WondeDeletion>.self,
            #"{"data":[],"meta":{"pagination":{"next":"https://api.wonde.com/v1.0/x?page=2","previous":null,"more":true,"per_page":"2","current_page":1}}}"#
        )
        #expect(stringy.pagination?.perPage == 2)
        #expect(stringy.nextLink == "https://api.wonde.com/v1.0/x?page=2")
        let numeric = try decode(
            WondePage<WondeDeletion>.self,
            #"{"data":[],"meta":{"pagination":{"next":null,"more":false,"per_page":50}}}"#)
        #expect(numeric.pagination?.perPage == 50)
        #expect(numeric.nextLink == nil && !numeric.promisesMoreWithoutLink)
        #expect(try decode(WondePage<WondeDeletion>.self, #"{"data":[]}"#).nextLink == nil)
        // more=false wins over a stray link; more=true without a link cannot be completed.
        #expect(
            try decode(WondePage<WondeDeletion>.self, #"{"data":[],"meta":{"pagination":{"next":"x","more":false}}}"#)
                .nextLink == nil)
        #expect(
            try decode(WondePage<WondeDeletion>.self, #"{"data":[],"meta":{"pagination":{"next":null,"more":true}}}"#)
                .promisesMoreWithoutLink)
    }

    @Test("a deletion becomes inactive details ending the day it was deleted")
    func deletion() throws {
        let deletion = try decode(
            WondeDeletion.self,
            #"{"type":"student","id":"A9","mis_id":"9","deleted_at":{"date":"2026-11-30 21:00:00.000000","timezone_type":3,"timezone":"UTC"},"restored_at":null}"#
        )
        let details = try #require(WondeRecords.deletedDetails(deletion))
        #expect(details.misID == "9")
        #expect(details.status == .inactive)
        #expect(details.endDate == CalendarDate(year: 2026, month: 11, day: 30))
    }
}
