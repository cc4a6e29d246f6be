/// A student (also a leaver or a pre-admission: the same shape) with the includes MISLink asks for.
/// An include the school has not granted comes back null, and reads as nil here.
struct WondeStudent: Decodable, Sendable {
    let person: WondePerson
    let education: EducationDetails?
    let contactDetails: WondeContactDetails?
    let registration: [WondeGroup]?
    let classes: [WondeGroup]?
    let contacts: [WondeContact]?

    /// `education_details.data`: UPN, NC year, admission and leaving dates.
    struct EducationDetails: Decodable, Sendable {
        let upn: String?
        let currentNCYear: String?
        let admissionDate: WondeDate?
        let leavingDate: WondeDate?

        private enum CodingKeys: String, CodingKey {
            case upn
            case currentNCYear = "current_nc_year"
            case admissionDate = "admission_date"
            case leavingDate = "leaving_date"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            upn = try c.nonEmptyText(.upn)
            currentNCYear = try c.nonEmptyText(.currentNCYear)
            admissionDate = try c.decodeIfPresent(WondeDate.self, forKey: .admissionDate)
            leavingDate = try c.decodeIfPresent(WondeDate.self, forKey: .leavingDate)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case registration, classes, contacts
        case education = "education_details"
        case contactDetails = "contact_details"
    }

    init(from decoder: any Decoder) throws {
        person = try WondePerson(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        education = try c.decodeIfPresent(Included<EducationDetails>.self, forKey: .education)?.data
        contactDetails = try c.decodeIfPresent(Included<WondeContactDetails>.self, forKey: .contactDetails)?.data
        registration = try c.decodeIfPresent(Included<WondeGroups>.self, forKey: .registration)?.data?.groups
        classes = try c.decodeIfPresent(Included<WondeGroups>.self, forKey: .classes)?.data?.groups
        contacts = try c.decodeIfPresent(Included<[WondeContact]>.self, forKey: .contacts)?.data
    }
}

/// A student's contact, with the relationship to the student when Wonde gives it. Which fields
/// the relationship holds is not documented: priority and parental responsibility are read when
/// present (as numbers, flags or text), and the relationship may be an object or just its name.
struct WondeContact: Decodable, Sendable {
    let person: WondePerson
    let details: WondeContactDetails?
    let relationship: String?
    let priority: Int?
    let parentalResponsibility: Bool?

    private enum CodingKeys: String, CodingKey {
        case relationship
        case details = "contact_details"
    }

    private enum RelationshipKeys: String, CodingKey {
        case relationship, type, name, priority
        case contactPriority = "contact_priority"
        case parentalResponsibility = "parental_responsibility"
    }

    init(from decoder: any Decoder) throws {
        person = try WondePerson(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        details = try c.decodeIfPresent(Included<WondeContactDetails>.self, forKey: .details)?.data
        if let object = try? c.nestedContainer(keyedBy: RelationshipKeys.self, forKey: .relationship) {
            relationship = try object.nonEmptyText(.relationship) ?? object.nonEmptyText(.type) ?? object.nonEmptyText(.name)
            priority = try object.number(.priority) ?? object.number(.contactPriority)
            parentalResponsibility = try object.flag(.parentalResponsibility)
        } else {
            relationship = try? c.nonEmptyText(.relationship)
            priority = nil
            parentalResponsibility = nil
        }
    }
}

/// An employee with `employment_details` and `contact_details`.
struct WondeEmployee: Decodable, Sendable {
    let person: WondePerson
    let employment: Employment?
    let contactDetails: WondeContactDetails?

    /// `employment_details.data`. No NI number here: Wonde does not carry one.
    struct Employment: Decodable, Sendable {
        let current: Bool?
        let staffCode: String?
        let roleText: String?
        let startDate: WondeDate?
        let endDate: WondeDate?

        private enum CodingKeys: String, CodingKey {
            case current
            case staffCode = "staff_code"
            case roleText = "role_text"
            case startDate = "employment_start_date"
            case endDate = "employment_end_date"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            current = try c.flag(.current)
            staffCode = try c.nonEmptyText(.staffCode)
            roleText = try c.nonEmptyText(.roleText)
            startDate = try c.decodeIfPresent(WondeDate.self, forKey: .startDate)
            endDate = try c.decodeIfPresent(WondeDate.self, forKey: .endDate)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case employment = "employment_details"
        case contactDetails = "contact_details"
    }

    init(from decoder: any Decoder) throws {
        person = try WondePerson(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        employment = try c.decodeIfPresent(Included<Employment>.self, forKey: .employment)?.data
        contactDetails = try c.decodeIfPresent(Included<WondeContactDetails>.self, forKey: .contactDetails)?.data
    }
}

/// An entry of `deletions`: a top-level record Wonde no longer has, and whether it came back.
struct WondeDeletion: Decodable, Sendable {
    let type: String
    let id: String?
    let misID: String?
    let deletedAt: WondeDate?
    let restoredAt: WondeDate?

    private enum CodingKeys: String, CodingKey {
        case type, id
        case misID = "mis_id"
        case deletedAt = "deleted_at"
        case restoredAt = "restored_at"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.nonEmptyText(.type) ?? ""
        id = try c.nonEmptyText(.id)
        misID = try c.nonEmptyText(.misID)
        deletedAt = try c.decodeIfPresent(WondeDate.self, forKey: .deletedAt)
        restoredAt = try c.decodeIfPresent(WondeDate.self, forKey: .restoredAt)
    }
}
