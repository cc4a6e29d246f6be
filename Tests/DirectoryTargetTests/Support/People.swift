import MISLinkKit

/// Sample records for the tests.
enum People {
    static let ann = PersonRecord.pupil(
        Pupil(
            details: PersonDetails(
                misID: "A1", name: PersonName(legalForename: "Ann", legalSurname: "Smith", preferredForename: "Annie"),
                dateOfBirth: CalendarDate(year: 2015, month: 9, day: 1), email: "ann@example.org",
                mobile: "07700900001", postcode: "AB1 2CD", consent: true),
            upn: "K801200001001", yearGroup: "R", regGroup: "RB"))

    static let jane = PersonRecord.staff(
        StaffMember(
            details: PersonDetails(misID: "S1", name: PersonName(legalForename: "Jane", legalSurname: "Doe")),
            niNumber: "QQ123456C", title: "Mrs", post: "Teacher"))

    static let cat = PersonRecord.preAdmission(
        PreAdmission(
            pupil: Pupil(
                details: PersonDetails(misID: "N1", name: PersonName(legalForename: "Cat", legalSurname: "Lee"))),
            expectedStartDate: CalendarDate(year: 2025, month: 9, day: 3)))

    /// Ann as the MIS sends her later: new surname, year group, email and mobile.
    static let annUpdated = PersonRecord.pupil(
        Pupil(
            details: PersonDetails(
                misID: "A1", name: PersonName(legalForename: "Ann", legalSurname: "Smith-Jones"),
                dateOfBirth: CalendarDate(year: 2015, month: 9, day: 1), email: "mis@example.org",
                mobile: "07700900999"),
            upn: "K801200001001", yearGroup: "1", regGroup: "1B"))
}
