/// A person's names as the MIS holds them: legal names always, preferred names when different.
public struct PersonName: Sendable, Hashable, Codable {
    public var legalForename: String
    public var legalSurname: String
    public var preferredForename: String?
    public var preferredSurname: String?

    public init(legalForename: String, legalSurname: String, preferredForename: String? = nil, preferredSurname: String? = nil) {
        self.legalForename = legalForename
        self.legalSurname = legalSurname
        self.preferredForename = preferredForename
        self.preferredSurname = preferredSurname
    }
}

/// Whether the MIS counts the person as on roll.
public enum EnrolmentStatus: String, Sendable, Hashable, Codable {
    case active, inactive
}

/// The details every person record carries, pupil or staff.
public struct PersonDetails: Sendable, Hashable, Codable {
    /// The MIS's own id for the person: the key everything else hangs on.
    public var misID: String
    public var name: PersonName
    public var dateOfBirth: CalendarDate?
    public var gender: String?
    public var email: String?
    public var mobile: String?
    public var address: String?
    public var postcode: String?
    public var startDate: CalendarDate?
    public var endDate: CalendarDate?
    public var status: EnrolmentStatus
    /// The person's consent flag: nil when the MIS holds none.
    public var consent: Bool?
    /// A photo reference (path or URL) if the MIS exports one.
    public var photo: String?

    public init(
        misID: String, name: PersonName, dateOfBirth: CalendarDate? = nil, gender: String? = nil, email: String? = nil,
        mobile: String? = nil, address: String? = nil, postcode: String? = nil, startDate: CalendarDate? = nil,
        endDate: CalendarDate? = nil, status: EnrolmentStatus = .active, consent: Bool? = nil, photo: String? = nil
    ) {
        self.misID = misID
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.gender = gender
        self.email = email
        self.mobile = mobile
        self.address = address
        self.postcode = postcode
        self.startDate = startDate
        self.endDate = endDate
        self.status = status
        self.consent = consent
        self.photo = photo
    }
}

/// A pupil on roll (or leaving it).
public struct Pupil: Sendable, Hashable, Codable {
    public var details: PersonDetails
    /// Unique Pupil Number: 13 characters, a check letter first.
    public var upn: String?
    public var yearGroup: String?
    public var regGroup: String?

    public init(details: PersonDetails, upn: String? = nil, yearGroup: String? = nil, regGroup: String? = nil) {
        self.details = details
        self.upn = upn
        self.yearGroup = yearGroup
        self.regGroup = regGroup
    }
}

/// A member of staff.
public struct StaffMember: Sendable, Hashable, Codable {
    public var details: PersonDetails
    /// National Insurance number as the MIS holds it (normalise before comparing).
    public var niNumber: String?
    public var title: String?
    /// The post (contract) the person holds.
    public var post: String?

    public init(details: PersonDetails, niNumber: String? = nil, title: String? = nil, post: String? = nil) {
        self.details = details
        self.niNumber = niNumber
        self.title = title
        self.post = post
    }
}

/// A child admitted but not yet started.
public struct PreAdmission: Sendable, Hashable, Codable {
    public var pupil: Pupil
    public var expectedStartDate: CalendarDate?

    public init(pupil: Pupil, expectedStartDate: CalendarDate? = nil) {
        self.pupil = pupil
        self.expectedStartDate = expectedStartDate
    }
}

/// A pupil's contact (parent, carer, …).
public struct Contact: Sendable, Hashable, Codable {
    public var misID: String
    public var studentMisID: String
    public var relationship: String?
    public var forename: String
    public var surname: String
    public var email: String?
    public var mobile: String?
    /// 1 is the first to call.
    public var priority: Int?
    public var parentalResponsibility: Bool?

    public init(
        misID: String, studentMisID: String, relationship: String? = nil, forename: String, surname: String,
        email: String? = nil, mobile: String? = nil, priority: Int? = nil, parentalResponsibility: Bool? = nil
    ) {
        self.misID = misID
        self.studentMisID = studentMisID
        self.relationship = relationship
        self.forename = forename
        self.surname = surname
        self.email = email
        self.mobile = mobile
        self.priority = priority
        self.parentalResponsibility = parentalResponsibility
    }
}

/// Morning or afternoon registration session.
public enum Session: String, Sendable, Hashable, Codable {
    case am = "AM"
    case pm = "PM"
}

/// An attendance mark to write back to the MIS (a late arrival or an early leaving).
public struct AttendanceMark: Sendable, Hashable, Codable {
    /// The sending system's id for the event: the write-back is idempotent on it.
    public var eventID: String
    public var studentMisID: String
    public var date: CalendarDate
    public var session: Session
    /// A DfE attendance code (`L`, `U`, …).
    public var code: String
    public var minutesLate: Int?
    public var comment: String?

    public init(
        eventID: String, studentMisID: String, date: CalendarDate, session: Session, code: String,
        minutesLate: Int? = nil, comment: String? = nil
    ) {
        self.eventID = eventID
        self.studentMisID = studentMisID
        self.date = date
        self.session = session
        self.code = code
        self.minutesLate = minutesLate
        self.comment = comment
    }
}

/// Which kind of person a record is.
public enum PersonRole: String, Sendable, Hashable, Codable, CaseIterable {
    case pupil, staff, preAdmission = "pre-admission"
}

/// A record to create or update in a target.
public enum PersonRecord: Sendable, Hashable {
    case pupil(Pupil)
    case staff(StaffMember)
    case preAdmission(PreAdmission)

    public var role: PersonRole {
        switch self {
        case .pupil: .pupil
        case .staff: .staff
        case .preAdmission: .preAdmission
        }
    }

    public var details: PersonDetails {
        switch self {
        case .pupil(let pupil): pupil.details
        case .staff(let staff): staff.details
        case .preAdmission(let pre): pre.pupil.details
        }
    }
}

/// A person as a target holds it: what matching and the changes report read.
public struct TargetPerson: Sendable, Hashable, Codable {
    /// The target's own id.
    public var targetID: String
    public var role: PersonRole
    /// The MIS id stored on the target record, if the target keeps one.
    public var misID: String?
    public var upn: String?
    public var niNumber: String?
    public var name: PersonName
    public var dateOfBirth: CalendarDate?
    public var email: String?
    public var mobile: String?
    /// Every other field the target keeps, by name (for the changes report).
    public var fields: [String: String]
    /// The person has confirmed their own contact details in the target: never overwrite them.
    public var registered: Bool
    public var inRecycleBin: Bool
    /// A pupil's contacts (guardians) as the target holds them, first to call first; empty for a
    /// target that keeps none.
    public var contacts: [Contact]

    public init(
        targetID: String, role: PersonRole, misID: String? = nil, upn: String? = nil, niNumber: String? = nil,
        name: PersonName, dateOfBirth: CalendarDate? = nil, email: String? = nil, mobile: String? = nil,
        fields: [String: String] = [:], registered: Bool = false, inRecycleBin: Bool = false, contacts: [Contact] = []
    ) {
        self.targetID = targetID
        self.role = role
        self.misID = misID
        self.upn = upn
        self.niNumber = niNumber
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.email = email
        self.mobile = mobile
        self.fields = fields
        self.registered = registered
        self.inRecycleBin = inRecycleBin
        self.contacts = contacts
    }
}

extension PersonRecord {
    /// The same kind of record with other details (its other fields kept).
    public func replacingDetails(_ details: PersonDetails) -> PersonRecord {
        switch self {
        case .pupil(var pupil):
            pupil.details = details
            return .pupil(pupil)
        case .staff(var staff):
            staff.details = details
            return .staff(staff)
        case .preAdmission(var pre):
            pre.pupil.details = details
            return .preAdmission(pre)
        }
    }
}
