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
