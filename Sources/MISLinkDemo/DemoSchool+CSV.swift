import CSVConnector
import Foundation
import MISLinkKit

/// The school as the CSV connector's export folder: `students.csv`, `staff.csv`,
/// `preadmissions.csv` and `contacts.csv` in the connector's layout (`ExportFile`), so that
/// `CSVConnector(directory:)` reads the same people back.
extension DemoSchool {
    /// Writes the four export files into `directory`, creating it (0700) if needed and replacing
    /// files already there. Each file is written whole and atomically, so a reader never sees half
    /// of one, and is 0600 whatever the umask: it holds (made-up) personal data.
    public func writeCSV(to directory: URL) throws {
        try PrivateFile.makeDirectory(directory)
        for document in [studentsDocument(), staffDocument(), preAdmissionsDocument(), contactsDocument()] {
            try PrivateFile.save(Array(document.text.utf8), to: directory.appendingPathComponent(document.file.name))
        }
    }

    func studentsDocument() -> CSVDocument {
        var document = CSVDocument(.students)
        for pupil in pupils { document.append(Self.studentFields(pupil)) }
        return document
    }

    func preAdmissionsDocument() -> CSVDocument {
        var document = CSVDocument(.preAdmissions)
        for pre in preAdmissions {
            var fields = Self.studentFields(pre.pupil)
            fields["expected_start_date"] = pre.expectedStartDate?.description
            document.append(fields)
        }
        return document
    }

    func staffDocument() -> CSVDocument {
        var document = CSVDocument(.staff)
        for member in staff {
            var fields = Self.personFields(member.details)
            fields["ni_number"] = member.niNumber
            fields["title"] = member.title
            fields["post"] = member.post
            document.append(fields)
        }
        return document
    }

    func contactsDocument() -> CSVDocument {
        var document = CSVDocument(.contacts)
        for contact in contacts {
            document.append([
                "mis_id": contact.misID, "student_mis_id": contact.studentMisID, "relationship": contact.relationship,
                "forename": contact.forename, "surname": contact.surname, "email": contact.email,
                "mobile": contact.mobile, "priority": contact.priority.map(String.init),
                "parental_responsibility": contact.parentalResponsibility.map(Self.yesNo),
            ])
        }
        return document
    }

    private static func studentFields(_ pupil: Pupil) -> [String: String?] {
        var fields = personFields(pupil.details)
        fields["upn"] = pupil.upn
        fields["year_group"] = pupil.yearGroup
        fields["reg_group"] = pupil.regGroup
        return fields
    }

    /// The columns pupils, pre-admissions and staff share.
    private static func personFields(_ details: PersonDetails) -> [String: String?] {
        [
            "mis_id": details.misID, "legal_forename": details.name.legalForename,
            "legal_surname": details.name.legalSurname, "preferred_forename": details.name.preferredForename,
            "preferred_surname": details.name.preferredSurname, "date_of_birth": details.dateOfBirth?.description,
            "gender": details.gender, "email": details.email, "mobile": details.mobile, "address": details.address,
            "postcode": details.postcode, "start_date": details.startDate?.description,
            "end_date": details.endDate?.description, "status": details.status.rawValue,
            "consent": details.consent.map(yesNo), "photo": details.photo,
        ]
    }

    private static func yesNo(_ flag: Bool) -> String { flag ? "yes" : "no" }
}
