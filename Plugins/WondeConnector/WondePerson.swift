/// The fields Wonde's student, employee and contact records share: ids and names.
struct WondePerson: Decodable, Sendable {
    /// Wonde's own id (changes when a pupil re-enrols): what write-back sends as `student_id`.
    let id: String
    /// The MIS's id: the key MISLink links on.
    let misID: String?
    let title: String?
    let forename: String?
    let surname: String?
    let legalForename: String?
    let legalSurname: String?
    let gender: String?
    let dateOfBirth: WondeDate?

    private enum CodingKeys: String, CodingKey {
        case id, title, forename, surname, gender
        case misID = "mis_id"
        case legalForename = "legal_forename"
        case legalSurname = "legal_surname"
        case dateOfBirth = "date_of_birth"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = try c.nonEmptyText(.id) else {
            throw DecodingError.keyNotFound(
                CodingKeys.id, DecodingError.Context(codingPath: c.codingPath, debugDescription: "every Wonde record has an id"))
        }
        self.id = id
        misID = try c.nonEmptyText(.misID)
        title = try c.nonEmptyText(.title)
        forename = try c.nonEmptyText(.forename)
        surname = try c.nonEmptyText(.surname)
        legalForename = try c.nonEmptyText(.legalForename)
        legalSurname = try c.nonEmptyText(.legalSurname)
        gender = try c.nonEmptyText(.gender)
        dateOfBirth = try c.decodeIfPresent(WondeDate.self, forKey: .dateOfBirth)
    }
}

/// `contact_details.data`: emails, phones and the home address.
struct WondeContactDetails: Decodable, Sendable {
    let email: String?
    let mobile: String?
    let address: String?
    let postcode: String?

    private enum CodingKeys: String, CodingKey { case emails, phones, addresses }
    private enum EmailKeys: String, CodingKey { case email, primary, home, work }
    private enum PhoneKeys: String, CodingKey { case mobile, primary, phone, home, work }
    private enum AddressKinds: String, CodingKey { case home }
    private enum AddressKeys: String, CodingKey {
        case houseName = "house_name"
        case houseNumber = "house_number"
        case apartment, street, district, town, county, locality, postcode
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let emails = try? c.nestedContainer(keyedBy: EmailKeys.self, forKey: .emails) {
            email = try emails.nonEmptyText(.primary) ?? emails.nonEmptyText(.email) ?? emails.nonEmptyText(.home)
        } else {
            email = nil
        }
        if let phones = try? c.nestedContainer(keyedBy: PhoneKeys.self, forKey: .phones) {
            mobile = try phones.nonEmptyText(.mobile)
        } else {
            mobile = nil
        }
        // `addresses` is an object of kinds ({"home": {…}}); an empty list or null means none.
        if let kinds = try? c.nestedContainer(keyedBy: AddressKinds.self, forKey: .addresses),
            let home = try? kinds.nestedContainer(keyedBy: AddressKeys.self, forKey: .home)
        {
            let number = [try home.nonEmptyText(.apartment), try home.nonEmptyText(.houseName), try home.nonEmptyText(.houseNumber)]
                .compactMap { $0 }.joined(separator: " ")
            let line = [number.isEmpty ? nil : number, try home.nonEmptyText(.street)].compactMap { $0 }.joined(separator: " ")
            let parts = [line.isEmpty ? nil : line, try home.nonEmptyText(.district), try home.nonEmptyText(.locality),
                         try home.nonEmptyText(.town), try home.nonEmptyText(.county)].compactMap { $0 }
            address = parts.isEmpty ? nil : parts.joined(separator: ", ")
            postcode = try home.nonEmptyText(.postcode)
        } else {
            address = nil
            postcode = nil
        }
    }
}

/// Something with a name: a registration group, a class, a year.
struct WondeGroup: Decodable, Sendable {
    let name: String?

    private enum CodingKeys: String, CodingKey { case name, code, description }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.nonEmptyText(.name) ?? c.nonEmptyText(.code) ?? c.nonEmptyText(.description)
    }
}

/// One group or several: the `registration` include's shape is not documented, so both are read.
struct WondeGroups: Decodable, Sendable {
    let groups: [WondeGroup]

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let many = try? single.decode([WondeGroup].self) {
            groups = many
        } else {
            groups = [try single.decode(WondeGroup.self)]
        }
    }
}
