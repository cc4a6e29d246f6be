import CSVConnector
import Foundation
import MISLinkKit
import Synchronization
import Testing

struct CSVConnectorReadTests {
    private let context = PluginContext.silent

    @Test("reads students whatever the column order, ignoring unknown columns")
    func studentsAnyOrder() async throws {
        try await withTemporaryDirectory { dir in
            try write(
                """
                legal_surname,house,mis_id,date_of_birth,legal_forename,year_group,upn,status,consent
                Smith,Red,A1,2015-09-01,Ann,R,K801200001001,active,yes
                Jones,Blue,A2,2016-01-31,Bob,1,,inactive,no

                """, to: "students.csv", in: dir)
            let pupils = try await CSVConnector(directory: dir).readPupils(changedSince: nil, context: context)
            #expect(pupils.count == 2)
            let ann = try #require(pupils.first)
            #expect(ann.details.misID == "A1")
            #expect(ann.details.name == PersonName(legalForename: "Ann", legalSurname: "Smith"))
            #expect(ann.details.dateOfBirth == CalendarDate(year: 2015, month: 9, day: 1))
            #expect(ann.yearGroup == "R")
            #expect(ann.upn == "K801200001001")
            #expect(ann.details.status == .active)
            #expect(ann.details.consent == true)
            #expect(pupils[1].upn == nil)
            #expect(pupils[1].details.status == .inactive)
            #expect(pupils[1].details.consent == false)
        }
    }

    @Test("turns empty cells into nil, an empty status into active and an empty consent into nil")
    func emptyCells() async throws {
        try await withTemporaryDirectory { dir in
            try write(
                "mis_id,legal_forename,legal_surname,preferred_forename,email,status,consent,end_date\n"
                    + "A1,Ann,Smith, ,,,,\n",
                to: "students.csv", in: dir)
            let pupil = try #require(
                try await CSVConnector(directory: dir).readPupils(changedSince: nil, context: context).first)
            #expect(pupil.details.name.preferredForename == nil)
            #expect(pupil.details.email == nil)
            #expect(pupil.details.status == .active)
            #expect(pupil.details.consent == nil)
            #expect(pupil.details.endDate == nil)
        }
    }

    @Test("reads a byte order mark, CRLF line ends and quoted commas, quotes and line breaks")
    func quotedStudentFields() async throws {
        try await withTemporaryDirectory { dir in
            let text =
                "mis_id,legal_forename,legal_surname,address\r\nA1,Ann,\"O'Neil, \"\"Jr\"\"\",\"1 High St\r\nTown\"\r\n"
            try write(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8), to: "students.csv", in: dir)
            let pupil = try #require(
                try await CSVConnector(directory: dir).readPupils(changedSince: nil, context: context).first)
            #expect(pupil.details.misID == "A1")
            #expect(pupil.details.name.legalSurname == "O'Neil, \"Jr\"")
            #expect(pupil.details.address == "1 High St\r\nTown")
        }
    }

    @Test("reads staff with their NI number, title and post")
    func staff() async throws {
        try await withTemporaryDirectory { dir in
            try write(
                """
                mis_id,ni_number,title,legal_forename,legal_surname,post,start_date,end_date,status
                S1,QQ123456C,Mrs,Jane,Doe,Teacher,2019-09-01,2024-07-31,inactive

                """, to: "staff.csv", in: dir)
            let member = try #require(
                try await CSVConnector(directory: dir).readStaff(changedSince: nil, context: context).first)
            #expect(member.niNumber == "QQ123456C")
            #expect(member.title == "Mrs")
            #expect(member.post == "Teacher")
            #expect(member.details.endDate == CalendarDate(year: 2024, month: 7, day: 31))
            #expect(member.details.status == .inactive)
        }
    }

    @Test("reads pre-admissions with their expected start date")
    func preAdmissions() async throws {
        try await withTemporaryDirectory { dir in
            try write(
                "mis_id,legal_forename,legal_surname,year_group,expected_start_date\nN1,Cat,Lee,R,2025-09-03\n",
                to: "preadmissions.csv", in: dir)
            let pre = try #require(
                try await CSVConnector(directory: dir).readPreAdmissions(changedSince: nil, context: context).first)
            #expect(pre.pupil.details.misID == "N1")
            #expect(pre.pupil.yearGroup == "R")
            #expect(pre.expectedStartDate == CalendarDate(year: 2025, month: 9, day: 3))
        }
    }

    @Test("reads contacts, one contact once per pupil")
    func contacts() async throws {
        try await withTemporaryDirectory { dir in
            try write(
                """
                mis_id,student_mis_id,relationship,forename,surname,email,mobile,priority,parental_responsibility
                C1,A1,Mother,Mary,Smith,mary@example.org,07700900001,1,yes
                C1,A2,Mother,Mary,Smith,mary@example.org,07700900001,1,YES
                C2,A1,,Tom,Smith,,,,

                """, to: "contacts.csv", in: dir)
            let contacts = try await CSVConnector(directory: dir).readContacts(changedSince: nil, context: context)
            #expect(contacts.count == 3)
            #expect(
                contacts[0]
                    == Contact(
                        misID: "C1", studentMisID: "A1", relationship: "Mother", forename: "Mary", surname: "Smith",
                        email: "mary@example.org", mobile: "07700900001", priority: 1, parentalResponsibility: true))
            #expect(contacts[1].parentalResponsibility == true)
            #expect(contacts[2].priority == nil)
            #expect(contacts[2].parentalResponsibility == nil)
        }
    }

    @Test(
        "refuses a missing export file, naming it, rather than reading it as nobody",
        arguments: ExportFile.allCases)
    func missingFile(file: ExportFile) async throws {
        try await withTemporaryDirectory { dir async throws in
            let error = try await #require(throws: PluginError.self) {
                try await read(file, with: CSVConnector(directory: dir))
            }
            #expect(error.disposition == .permanent)
            #expect(error.message.contains("\(file.name) is missing from the export folder \(dir.path)"))
            #expect(error.message.contains("optional-files"))
        }
    }

    @Test("reads a missing file listed in optional-files as no records, and warns")
    func missingOptionalFile() async throws {
        try await withTemporaryDirectory { dir async throws in
            let warnings = Mutex<[String]>([])
            let context = PluginContext(log: { level, message in
                if level == .warning { warnings.withLock { $0.append(message) } }
            })
            let connector = CSVConnector(directory: dir, optionalFiles: [.preAdmissions, .contacts])
            #expect(try await connector.readPreAdmissions(changedSince: nil, context: context).isEmpty)
            #expect(try await connector.readContacts(changedSince: nil, context: context).isEmpty)
            #expect(warnings.withLock { $0 }.count == 2)
            #expect(warnings.withLock { $0 }.first?.contains("preadmissions.csv is not in") == true)
            // Files not listed stay required.
            await #expect(throws: PluginError.self) { try await connector.readPupils(changedSince: nil, context: context) }
        }
    }

    /// Reads one entity's file, whichever it is.
    private func read(_ file: ExportFile, with connector: CSVConnector) async throws {
        switch file {
        case .students: _ = try await connector.readPupils(changedSince: nil, context: context)
        case .staff: _ = try await connector.readStaff(changedSince: nil, context: context)
        case .preAdmissions: _ = try await connector.readPreAdmissions(changedSince: nil, context: context)
        case .contacts: _ = try await connector.readContacts(changedSince: nil, context: context)
        }
    }

    @Test("refuses a missing export folder rather than reading it as a school with nobody in it")
    func missingFolder() async throws {
        try await withTemporaryDirectory { dir in
            let connector = CSVConnector(directory: dir.appendingPathComponent("gone"))
            let error = try await #require(throws: PluginError.self) {
                try await connector.readPupils(changedSince: nil, context: context)
            }
            #expect(error.disposition == .permanent)
            #expect(error.message.contains("gone"))
            await #expect(throws: PluginError.self) { try await connector.checkConnection(context: context) }
        }
    }

    @Test("reads a header-only file as no records")
    func headerOnly() async throws {
        try await withTemporaryDirectory { dir in
            try write("mis_id,legal_forename,legal_surname\n", to: "staff.csv", in: dir)
            #expect(try await CSVConnector(directory: dir).readStaff(changedSince: nil, context: context).isEmpty)
        }
    }
}
