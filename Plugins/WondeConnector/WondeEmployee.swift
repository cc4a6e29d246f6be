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
