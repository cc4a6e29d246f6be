import Foundation

/// `GET schools/{id}`: `data` is the school, or empty (`[]`, `{}` or null) when asked of the wrong region.
struct WondeSchool: Decodable, Sendable {
    let data: Found?

    struct Found: Decodable, Sendable {
        let id: String?
        let name: String?
        let regionDomain: String?

        private enum CodingKeys: String, CodingKey { case id, name, region }
        private enum RegionKeys: String, CodingKey { case domain, data }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.nonEmptyText(.id)
            name = try c.nonEmptyText(.name)
            // `region` is {domain: …}, or wrapped as an include {data: {domain: …}}.
            if let region = try? c.nestedContainer(keyedBy: RegionKeys.self, forKey: .region) {
                if let inner = try? region.nestedContainer(keyedBy: RegionKeys.self, forKey: .data) {
                    regionDomain = try inner.nonEmptyText(.domain)
                } else {
                    regionDomain = try region.nonEmptyText(.domain)
                }
            } else {
                regionDomain = nil
            }
        }
    }

    private enum CodingKeys: String, CodingKey { case data }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let found = try? c.decode(Found.self, forKey: .data), found.id != nil {
            data = found
        } else {
            data = nil
        }
    }
}
