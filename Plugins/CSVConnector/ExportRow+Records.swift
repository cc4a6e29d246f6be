import MISLinkKit

/// Turns checked rows into the kit's records. Every bad cell throws a message naming the file, the
/// line and the column.
extension ExportRow {
    func personDetails() throws -> PersonDetails {
        PersonDetails(
            misID: try required("mis_id"),
            name: PersonName(
                legalForename: try required("legal_forename"),
                legalSurname: try required("legal_surname"),
                preferredForename: text("preferred_forename"),
                preferredSurname: text("preferred_surname")),
            dateOfBirth: try date("date_of_birth"),
            gender: text("gender"),
            email: text("email"),
            mobile: text("mobile"),
            address: text("address"),
            postcode: text("postcode"),
            startDate: try date("start_date"),
            endDate: try date("end_date"),
            status: try status(),
            consent: try yesNo("consent"),
            photo: text("photo"))
    }

    func pupil() throws -> Pupil {
        Pupil(
            details: try personDetails(), upn: text("upn"), yearGroup: text("year_group"), regGroup: text("reg_group"))
    }

    func staffMember() throws -> StaffMember {
        StaffMember(details: try personDetails(), niNumber: text("ni_number"), title: text("title"), post: text("post"))
    }

    func preAdmission() throws -> PreAdmission {
        PreAdmission(pupil: try pupil(), expectedStartDate: try date("expected_start_date"))
    }

    func contact() throws -> Contact {
        Contact(
            misID: try required("mis_id"),
            studentMisID: try required("student_mis_id"),
            relationship: text("relationship"),
            forename: try required("forename"),
            surname: try required("surname"),
            email: text("email"),
            mobile: text("mobile"),
            priority: try integer("priority"),
            parentalResponsibility: try yesNo("parental_responsibility"))
    }
}
