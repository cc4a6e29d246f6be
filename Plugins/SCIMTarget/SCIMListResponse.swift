/// One page of a SCIM query (RFC 7644 §3.4.2). `Resources` is absent on some servers when empty.
struct SCIMListResponse<Resource: Decodable & Sendable>: Decodable, Sendable {
    var totalResults: Int?
    var startIndex: Int?
    var itemsPerPage: Int?
    var resources: [Resource]

    enum CodingKeys: String, CodingKey {
        case totalResults, startIndex, itemsPerPage
        case resources = "Resources"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        totalResults = try container.decodeIfPresent(Int.self, forKey: .totalResults)
        startIndex = try container.decodeIfPresent(Int.self, forKey: .startIndex)
        itemsPerPage = try container.decodeIfPresent(Int.self, forKey: .itemsPerPage)
        resources = try container.decodeIfPresent([Resource].self, forKey: .resources) ?? []
    }
}
