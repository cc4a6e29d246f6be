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
            let number = [
                try home.nonEmptyText(.apartment), try home.nonEmptyText(.houseName),
                try home.nonEmptyText(.houseNumber),
            ]
            .compactMap { $0 }.joined(separator: " ")
            let line = [number.isEmpty ? nil : number, try home.nonEmptyText(.street)].compactMap { $0 }.joined(
                separator: " ")
            let parts = [
                line.isEmpty ? nil : line, try home.nonEmptyText(.district), try home.nonEmptyText(.locality),
                try home.nonEmptyText(.town), try home.nonEmptyText(.county),
            ].compactMap { $0 }
            address = parts.isEmpty ? nil : parts.joined(separator: ", ")
            postcode = try home.nonEmptyText(.postcode)
        } else {
            address = nil
            postcode = nil
        }
    }
}
