import MISLinkKit

extension PersonRecord {
    /// The record back from its standard fields (the inverse of `standardFields`): a stored plan
    /// keeps what it will create or send as fields, and a resumed job rebuilds the record from them.
    init(role: PersonRole, standardFields values: [String: String]) {
        func date(_ key: String) -> CalendarDate? { values[key].flatMap { CalendarDate(iso: $0) } }
        let details = PersonDetails(
            misID: values["mis_id"] ?? "",
            name: PersonName(
                legalForename: values["legal_forename"] ?? "", legalSurname: values["legal_surname"] ?? "",
                preferredForename: values["preferred_forename"], preferredSurname: values["preferred_surname"]),
            dateOfBirth: date("date_of_birth"), gender: values["gender"], email: values["email"], mobile: values["mobile"],
            address: values["address"], postcode: values["postcode"], startDate: date("start_date"),
            endDate: date("end_date"), status: values["status"].flatMap(EnrolmentStatus.init(rawValue:)) ?? .active,
            consent: values["consent"].map { $0 == "yes" }, photo: values["photo"])
        let pupil = Pupil(details: details, upn: values["upn"], yearGroup: values["year_group"], regGroup: values["reg_group"])
        switch role {
        case .pupil: self = .pupil(pupil)
        case .preAdmission: self = .preAdmission(PreAdmission(pupil: pupil, expectedStartDate: date("expected_start_date")))
        case .staff:
            self = .staff(StaffMember(details: details, niNumber: values["ni_number"], title: values["title"], post: values["post"]))
        }
    }
}
