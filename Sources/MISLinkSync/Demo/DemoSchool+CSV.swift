import Foundation
import MISLinkKit

/// The school as the CSV connector's export folder: `students.csv`, `staff.csv`,
/// `preadmissions.csv` and `contacts.csv` with the connector's default headers, so that
/// `CSVConnector(directory:)` reads the same people back.
extension DemoSchool {
    /// The connector's default headers, in its order (`Plugins/CSVConnector/ExportFile.swift`).
    /// They are repeated here because MISLinkSync does not depend on the plugin; the round-trip test
    /// reads the files with the connector, so a drift fails there.
    private static let personTail = [
        "email", "mobile", "address", "postcode", "start_date", "end_date", "status", "consent", "photo",
    ]
    static let studentHeader =
        [
            "mis_id", "upn", "legal_forename", "legal_surname", "preferred_forename", "preferred_surname",
            "date_of_birth", "gender", "year_group", "reg_group",
        ] + personTail
    static let preAdmissionHeader = studentHeader + ["expected_start_date"]
    static let staffHeader =
        [
            "mis_id", "ni_number", "title", "legal_forename", "legal_surname", "preferred_forename",
            "preferred_surname", "date_of_birth", "gender", "post",
        ] + personTail
    static let contactHeader = [
        "mis_id", "student_mis_id", "relationship", "forename", "surname", "email", "mobile", "priority",
        "parental_responsibility",
    ]

    /// Writes the four export files into `directory`, creating it if needed and replacing files
    /// already there. Each file is written whole and atomically, so a reader never sees half of one.
    public func writeCSV(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files: [(String, CSVDocument)] = [
            ("students.csv", studentsDocument()), ("staff.csv", staffDocument()),
            ("preadmissions.csv", preAdmissionsDocument()), ("contacts.csv", contactsDocument()),
        ]
        for (name, document) in files {
            try Data(document.text.utf8).write(to: directory.appendingPathComponent(name), options: .atomic)
        }
    }

    func studentsDocument() -> CSVDocument {
        var document = CSVDocument(header: Self.studentHeader)
        for pupil in pupils { document.append(Self.studentFields(pupil)) }
        return document
    }

    func preAdmissionsDocument() -> CSVDocument {
        var document = CSVDocument(header: Self.preAdmissionHeader)
        for pre in preAdmissions {
            document.append(Self.studentFields(pre.pupil) + [pre.expectedStartDate?.description])
        }
        return document
    }

    func staffDocument() -> CSVDocument {
        var document = CSVDocument(header: Self.staffHeader)
        for member in staff {
            let details = member.details
            document.append(
                [
                    details.misID, member.niNumber, member.title, details.name.legalForename,
                    details.name.legalSurname, details.name.preferredForename, details.name.preferredSurname,
                    details.dateOfBirth?.description, details.gender, member.post,
                ] + Self.tailFields(details))
        }
        return document
    }

    func contactsDocument() -> CSVDocument {
        var document = CSVDocument(header: Self.contactHeader)
        for contact in contacts {
            document.append([
                contact.misID, contact.studentMisID, contact.relationship, contact.forename, contact.surname,
                contact.email, contact.mobile, contact.priority.map(String.init),
                contact.parentalResponsibility.map(Self.yesNo),
            ])
        }
        return document
    }

    private static func studentFields(_ pupil: Pupil) -> [String?] {
        let details = pupil.details
        return [
            details.misID, pupil.upn, details.name.legalForename, details.name.legalSurname,
            details.name.preferredForename, details.name.preferredSurname, details.dateOfBirth?.description,
            details.gender, pupil.yearGroup, pupil.regGroup,
        ] + tailFields(details)
    }

    private static func tailFields(_ details: PersonDetails) -> [String?] {
        [
            details.email, details.mobile, details.address, details.postcode, details.startDate?.description,
            details.endDate?.description, details.status.rawValue, details.consent.map(yesNo), details.photo,
        ]
    }

    private static func yesNo(_ flag: Bool) -> String { flag ? "yes" : "no" }
}
