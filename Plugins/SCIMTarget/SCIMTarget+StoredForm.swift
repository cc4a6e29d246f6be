import MISLinkKit

extension SCIMTarget {
    /// What a SCIM user keeps of a record (see `SCIMUser(record)` and `targetPerson`): one given and
    /// one family name (the preferred ones when there are), email, mobile, the status, and the year
    /// group and registration group (groups on) or the post and title; never the date of birth,
    /// gender, UPN, NI number, address or dates.
    public nonisolated func storedForm(of record: PersonRecord) -> PersonRecord {
        let details = record.details
        func nonEmpty(_ text: String?) -> String? { SCIMUser.nonEmpty(text) }
        let kept = PersonDetails(
            misID: details.misID,
            name: PersonName(
                legalForename: nonEmpty(details.name.preferredForename) ?? details.name.legalForename,
                legalSurname: nonEmpty(details.name.preferredSurname) ?? details.name.legalSurname),
            email: nonEmpty(details.email), mobile: nonEmpty(details.mobile), status: details.status)
        switch record {
        case .pupil(let pupil):
            return .pupil(Pupil(details: kept, yearGroup: nonEmpty(pupil.yearGroup), regGroup: settings.groups ? nonEmpty(pupil.regGroup) : nil))
        case .preAdmission(let pre):
            let pupil = Pupil(
                details: kept, yearGroup: nonEmpty(pre.pupil.yearGroup), regGroup: settings.groups ? nonEmpty(pre.pupil.regGroup) : nil)
            return .preAdmission(PreAdmission(pupil: pupil))
        case .staff(let staff):
            return .staff(StaffMember(details: kept, title: nonEmpty(staff.title), post: nonEmpty(staff.post)))
        }
    }
}
