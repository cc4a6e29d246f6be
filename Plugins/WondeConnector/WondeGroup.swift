/// Something with a name: a registration group, a class, a year.
struct WondeGroup: Decodable, Sendable {
    let name: String?

    private enum CodingKeys: String, CodingKey { case name, code, description }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.nonEmptyText(.name) ?? c.nonEmptyText(.code) ?? c.nonEmptyText(.description)
    }
}
