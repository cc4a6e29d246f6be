extension PersonRecord {
    /// The record's values by their standard field names (the CSV export's column names:
    /// `mis_id`, `legal_forename`, `date_of_birth`, `year_group`, `post`, …), absent when empty.
    /// Targets that store fields by name, and the engine when it compares records, use these names.
    public var standardFields: [String: String] {
        var values: [String: String] = [:]
        let details = self.details
        values["mis_id"] = details.misID
        values["legal_forename"] = details.name.legalForename
        values["legal_surname"] = details.name.legalSurname
        values["preferred_forename"] = details.name.preferredForename
        values["preferred_surname"] = details.name.preferredSurname
        values["date_of_birth"] = details.dateOfBirth?.description
        values["gender"] = details.gender
        values["email"] = details.email
        values["mobile"] = details.mobile
        values["address"] = details.address
        values["postcode"] = details.postcode
        values["start_date"] = details.startDate?.description
        values["end_date"] = details.endDate?.description
        values["status"] = details.status.rawValue
        values["consent"] = details.consent.map { $0 ? "yes" : "no" }
        values["photo"] = details.photo
        switch self {
        case .pupil(let pupil):
            Self.addPupilFields(pupil, to: &values)
        case .preAdmission(let preAdmission):
            Self.addPupilFields(preAdmission.pupil, to: &values)
            values["expected_start_date"] = preAdmission.expectedStartDate?.description
        case .staff(let staff):
            values["ni_number"] = staff.niNumber
            values["title"] = staff.title
            values["post"] = staff.post
        }
        return values.filter { !$0.value.isEmpty }
    }

    private static func addPupilFields(_ pupil: Pupil, to values: inout [String: String]) {
        values["upn"] = pupil.upn
        values["year_group"] = pupil.yearGroup
        values["reg_group"] = pupil.regGroup
    }
}

extension TargetPerson {
    /// Everything the target holds, by standard field name: `fields` plus the first-class properties.
    public var standardFields: [String: String] {
        var values = fields
        values["mis_id"] = misID
        values["upn"] = upn
        values["ni_number"] = niNumber
        values["legal_forename"] = name.legalForename
        values["legal_surname"] = name.legalSurname
        values["preferred_forename"] = name.preferredForename
        values["preferred_surname"] = name.preferredSurname
        values["date_of_birth"] = dateOfBirth?.description
        values["email"] = email
        values["mobile"] = mobile
        return values.filter { !$0.value.isEmpty }
    }
}
