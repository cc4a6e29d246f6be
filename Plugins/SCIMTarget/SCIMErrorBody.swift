/// A SCIM error answer (RFC 7644 §3.12): `scimType` says why (`uniqueness` for a taken userName).
struct SCIMErrorBody: Sendable, Decodable {
    var status: Int?
    var scimType: String?
    var detail: String?

    enum CodingKeys: String, CodingKey {
        case status, scimType, detail
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try Self.decodeStatus(container, forKey: .status)
        scimType = try? container.decodeIfPresent(String.self, forKey: .scimType)
        detail = try? container.decodeIfPresent(String.self, forKey: .detail)
    }

    /// `"409"` or `409`.
    static func decodeStatus<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> Int? {
        if let number = try? container.decodeIfPresent(Int.self, forKey: key) { return number }
        return (try? container.decodeIfPresent(String.self, forKey: key)).flatMap { $0.flatMap { Int($0) } }
    }
}
