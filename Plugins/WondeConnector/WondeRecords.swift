import Foundation
import MISLinkKit

/// Turns Wonde's records into the kit's. The MIS id is Wonde's `mis_id` (stable, and what a restored
/// record comes back with); a record without one cannot be linked, so it fails the read, named.
enum WondeRecords {
    static func pupil(
        _ student: WondeStudent, where endpoint: String, registration: WondeSettings.RegistrationSource,
        status: EnrolmentStatus = .active
    ) throws -> Pupil {
        let education = student.education
        var details = try self.details(student.person, contact: student.contactDetails, where: endpoint, status: status)
        details.startDate = education?.admissionDate?.calendarDate
        details.endDate = education?.leavingDate?.calendarDate
        return Pupil(
            details: details, upn: education?.upn, yearGroup: education?.currentNCYear,
            regGroup: regGroup(student, source: registration))
    }

    static func preAdmission(
        _ student: WondeStudent, where endpoint: String, registration: WondeSettings.RegistrationSource
    )
        throws -> PreAdmission
    {
        let pupil = try pupil(student, where: endpoint, registration: registration)
        return PreAdmission(pupil: pupil, expectedStartDate: pupil.details.startDate)
    }

    /// A member of staff; one whose employment is not current (or has ended) is inactive. Wonde has no
    /// NI number, so `niNumber` stays nil and staff match by the other rules.
    static func staff(_ employee: WondeEmployee, where endpoint: String) throws -> StaffMember {
        let employment = employee.employment
        var details = try self.details(
            employee.person, contact: employee.contactDetails, where: endpoint,
            status: employment?.current == false ? .inactive : .active)
        details.startDate = employment?.startDate?.calendarDate
        details.endDate = employment?.endDate?.calendarDate
        return StaffMember(details: details, niNumber: nil, title: employee.person.title, post: employment?.roleText)
    }

    /// A student's contacts, in the student's order.
    static func contacts(of student: WondeStudent, where endpoint: String) throws -> [Contact] {
        guard let studentMisID = student.person.misID else { throw missingMisID(student.person, endpoint) }
        return (student.contacts ?? []).map { contact in
            let person = contact.person
            return Contact(
                misID: person.misID ?? person.id, studentMisID: studentMisID, relationship: contact.relationship,
                forename: person.legalForename ?? person.forename ?? "",
                surname: person.legalSurname ?? person.surname ?? "",
                email: contact.details?.email, mobile: contact.details?.mobile, priority: contact.priority,
                parentalResponsibility: contact.parentalResponsibility)
        }
    }

    /// A deleted record as a leaver: inactive, ended the day it was deleted. Never a hard delete.
    static func deletedDetails(_ deletion: WondeDeletion) -> PersonDetails? {
        guard let misID = deletion.misID else { return nil }
        return PersonDetails(
            misID: misID, name: PersonName(legalForename: "", legalSurname: ""),
            endDate: deletion.deletedAt?.calendarDate,
            status: .inactive)
    }

    private static func details(
        _ person: WondePerson, contact: WondeContactDetails?, where endpoint: String, status: EnrolmentStatus
    ) throws -> PersonDetails {
        guard let misID = person.misID else { throw missingMisID(person, endpoint) }
        let legalForename = person.legalForename ?? person.forename ?? ""
        let legalSurname = person.legalSurname ?? person.surname ?? ""
        let name = PersonName(
            legalForename: legalForename, legalSurname: legalSurname,
            preferredForename: person.forename.flatMap { $0 == legalForename ? nil : $0 },
            preferredSurname: person.surname.flatMap { $0 == legalSurname ? nil : $0 })
        return PersonDetails(
            misID: misID, name: name, dateOfBirth: person.dateOfBirth?.calendarDate, gender: person.gender,
            email: contact?.email, mobile: contact?.mobile, address: contact?.address, postcode: contact?.postcode,
            status: status)
    }

    private static func regGroup(_ student: WondeStudent, source: WondeSettings.RegistrationSource) -> String? {
        switch source {
        case .registration:
            return student.registration?.lazy.compactMap(\.name).first
        case .classes(let pattern):
            return student.classes?.lazy.compactMap(\.name).first {
                $0.range(of: pattern, options: .regularExpression) != nil
            }
        }
    }

    private static func missingMisID(_ person: WondePerson, _ endpoint: String) -> PluginError {
        PluginError.permanent(
            "wonde: record \(person.id) from \(endpoint) has no mis_id, so it cannot be linked; nothing was imported")
    }
}
