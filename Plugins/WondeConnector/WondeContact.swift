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
            relationship =
                try object.nonEmptyText(.relationship) ?? object.nonEmptyText(.type) ?? object.nonEmptyText(.name)
            priority = try object.number(.priority) ?? object.number(.contactPriority)
            parentalResponsibility = try object.flag(.parentalResponsibility)
        } else {
            relationship = try? c.nonEmptyText(.relationship)
            priority = nil
            parentalResponsibility = nil
        }
    }
}
