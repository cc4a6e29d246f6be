import CSVConnector
import Foundation
import MISLinkKit
import Testing

struct HeaderMappingTests {
    private func connector(dir: URL, mapping json: String) throws -> any Connector {
        try write(json, to: "mapping.json", in: dir)
        let config = PluginConfig(values: ["dir": dir.path, "mapping": dir.appendingPathComponent("mapping.json").path])
        return try CSVConnectorPlugin().makeConnector(config: config)
    }

    @Test("a mapping file renames the MIS's headers to our columns")
    func renames() async throws {
        try await withTemporaryDirectory { dir in
            let connector = try connector(
                dir: dir,
                mapping:
                    #"{"students.csv": {"mis_id": "Admission No", "legal_surname": "Surname", "date_of_birth": "DOB"}}"#
            )
            try write(
                "Admission No,legal_forename,surname,dob,mis_id\n1001,Ann,Smith,2015-09-01,ignored\n",
                to: "students.csv", in: dir)
            let pupil = try #require(try await connector.readPupils(changedSince: nil, context: .silent).first)
            #expect(pupil.details.misID == "1001")
            #expect(pupil.details.name.legalSurname == "Smith")
            #expect(pupil.details.dateOfBirth == CalendarDate(year: 2015, month: 9, day: 1))
        }
    }

    @Test("an error in a renamed column names both the file's header and our column")
    func errorNamesMappedColumn() async throws {
        try await withTemporaryDirectory { dir in
            let connector = try connector(dir: dir, mapping: #"{"students.csv": {"date_of_birth": "DOB"}}"#)
            try write("mis_id,legal_forename,legal_surname,DOB\nA1,Ann,Smith,01/09/2015\n", to: "students.csv", in: dir)
            await #expect(
                throws: PluginError.permanent(
                    "students.csv line 2, column DOB (4, mapped to date_of_birth): "
                        + "'01/09/2015' is not a date (YYYY-MM-DD)")
            ) {
                try await connector.readPupils(changedSince: nil, context: .silent)
            }
        }
    }

    @Test("headers match ignoring case, spaces, underscores and punctuation, with or without a mapping")
    func looseHeaders() async throws {
        try await withTemporaryDirectory { dir in
            let connector = try connector(dir: dir, mapping: #"{"students.csv": {"mis_id": "Admission No."}}"#)
            try write(
                "ADMISSION-NO,Legal Forename,legal surname,Date_Of_Birth,Start Date\n1001,Ann,Smith,2015-09-01,2019-09-04\n",
                to: "students.csv", in: dir)
            let pupil = try #require(try await connector.readPupils(changedSince: nil, context: .silent).first)
            #expect(pupil.details.misID == "1001")
            #expect(pupil.details.name.legalForename == "Ann")
            #expect(pupil.details.name.legalSurname == "Smith")
            #expect(pupil.details.dateOfBirth == CalendarDate(year: 2015, month: 9, day: 1))
            #expect(pupil.details.startDate == CalendarDate(year: 2019, month: 9, day: 4))
        }
    }

    @Test("a required column missing under its mapped name is reported with that name")
    func missingMappedColumn() async throws {
        try await withTemporaryDirectory { dir in
            let connector = try connector(dir: dir, mapping: #"{"staff.csv": {"mis_id": "Staff Code"}}"#)
            try write("mis_id,legal_forename,legal_surname\nS1,Jane,Doe\n", to: "staff.csv", in: dir)
            await #expect(
                throws: PluginError.permanent(
                    "staff.csv line 1, column mis_id (mapped to header 'Staff Code'): "
                        + "required column is missing from the header (headers renamed by mapping file \(dir.appendingPathComponent("mapping.json").path))")
            ) {
                try await connector.readStaff(changedSince: nil, context: .silent)
            }
        }
    }

    @Test(
        "a mapping for an unknown file or column, or one that is not JSON, is refused up front",
        arguments: [
            #"{"pupils.csv": {"mis_id": "Adno"}}"#,
            #"{"students.csv": {"admission_number": "Adno"}}"#,
            #"{"students.csv": {"mis_id": " "}}"#,
            #"students.csv: mis_id = Adno"#,
        ])
    func refused(json: String) async throws {
        try await withTemporaryDirectory { dir in
            let error = try #require(throws: PluginError.self) { try connector(dir: dir, mapping: json) }
            #expect(error.disposition == .permanent)
            #expect(error.message.contains("mapping"))
        }
    }
}
