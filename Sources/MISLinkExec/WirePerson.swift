import MISLinkKit

/// A person as the process protocol writes it (public for tools that write a plugin's input): one flat object for pupils, staff and pre-admissions,
/// so a plugin in any language builds it without knowing the kit's nesting. Only `misId`,
/// `legalForename` and `legalSurname` are required; `status` defaults to active.
public struct WirePerson: Codable, Sendable, Equatable {
    var role: String?
    var misId: String
    var legalForename: String
    var legalSurname: String
    var preferredForename: String?
    var preferredSurname: String?
    var dateOfBirth: CalendarDate?
    var gender: String?
    var email: String?
    var mobile: String?
    var address: String?
    var postcode: String?
    var startDate: CalendarDate?
    var endDate: CalendarDate?
    var status: EnrolmentStatus?
    var consent: Bool?
    var photo: String?
    // Pupils and pre-admissions
    var upn: String?
    var yearGroup: String?
    var regGroup: String?
    var expectedStartDate: CalendarDate?
    // Staff
    var niNumber: String?
    var title: String?
    var post: String?

    var details: PersonDetails {
        PersonDetails(
            misID: misId,
            name: PersonName(
                legalForename: legalForename, legalSurname: legalSurname, preferredForename: preferredForename,
                preferredSurname: preferredSurname),
            dateOfBirth: dateOfBirth, gender: gender, email: email, mobile: mobile, address: address, postcode: postcode,
            startDate: startDate, endDate: endDate, status: status ?? .active, consent: consent, photo: photo)
    }

    public var pupil: Pupil { Pupil(details: details, upn: upn, yearGroup: yearGroup, regGroup: regGroup) }
    public var staff: StaffMember { StaffMember(details: details, niNumber: niNumber, title: title, post: post) }
    public var preAdmission: PreAdmission { PreAdmission(pupil: pupil, expectedStartDate: expectedStartDate) }

    init(_ details: PersonDetails, role: PersonRole) {
        self.role = role.rawValue
        misId = details.misID
        legalForename = details.name.legalForename
        legalSurname = details.name.legalSurname
        preferredForename = details.name.preferredForename
        preferredSurname = details.name.preferredSurname
        dateOfBirth = details.dateOfBirth
        gender = details.gender
        email = details.email
        mobile = details.mobile
        address = details.address
        postcode = details.postcode
        startDate = details.startDate
        endDate = details.endDate
        status = details.status
        consent = details.consent
        photo = details.photo
    }

    /// What a target is asked to create or update, with its `role`.
    public init(_ record: PersonRecord) {
        self.init(record.details, role: record.role)
        switch record {
        case .pupil(let pupil):
            (upn, yearGroup, regGroup) = (pupil.upn, pupil.yearGroup, pupil.regGroup)
        case .staff(let staff):
            (niNumber, title, post) = (staff.niNumber, staff.title, staff.post)
        case .preAdmission(let pre):
            (upn, yearGroup, regGroup) = (pre.pupil.upn, pre.pupil.yearGroup, pre.pupil.regGroup)
            expectedStartDate = pre.expectedStartDate
        }
    }
}

/// A pupil's contact on the wire.
public struct WireContact: Codable, Sendable, Equatable {
    var misId: String
    var studentMisId: String
    var relationship: String?
    var forename: String
    var surname: String
    var email: String?
    var mobile: String?
    var priority: Int?
    var parentalResponsibility: Bool?

    public var contact: Contact {
        Contact(
            misID: misId, studentMisID: studentMisId, relationship: relationship, forename: forename, surname: surname,
            email: email, mobile: mobile, priority: priority, parentalResponsibility: parentalResponsibility)
    }

    public init(_ contact: Contact) {
        misId = contact.misID
        studentMisId = contact.studentMisID
        relationship = contact.relationship
        forename = contact.forename
        surname = contact.surname
        email = contact.email
        mobile = contact.mobile
        priority = contact.priority
        parentalResponsibility = contact.parentalResponsibility
    }
}

/// A person as a target holds it, on the wire.
struct WireTargetPerson: Codable, Sendable {
    var targetId: String
    var role: PersonRole
    var misId: String?
    var upn: String?
    var niNumber: String?
    var legalForename: String
    var legalSurname: String
    var preferredForename: String?
    var preferredSurname: String?
    var dateOfBirth: CalendarDate?
    var email: String?
    var mobile: String?
    var fields: [String: String]?
    var registered: Bool?
    var inRecycleBin: Bool?
    var contacts: [WireContact]?

    var person: TargetPerson {
        TargetPerson(
            targetID: targetId, role: role, misID: misId, upn: upn, niNumber: niNumber,
            name: PersonName(
                legalForename: legalForename, legalSurname: legalSurname, preferredForename: preferredForename,
                preferredSurname: preferredSurname),
            dateOfBirth: dateOfBirth, email: email, mobile: mobile, fields: fields ?? [:], registered: registered ?? false,
            inRecycleBin: inRecycleBin ?? false, contacts: (contacts ?? []).map(\.contact))
    }
}

/// An attendance mark on the wire.
struct WireMark: Codable, Sendable {
    var eventId: String
    var studentMisId: String
    var date: CalendarDate
    var session: Session
    var code: String
    var minutesLate: Int?
    var comment: String?

    init(_ mark: AttendanceMark) {
        eventId = mark.eventID
        studentMisId = mark.studentMisID
        date = mark.date
        session = mark.session
        code = mark.code
        minutesLate = mark.minutesLate
        comment = mark.comment
    }
}
