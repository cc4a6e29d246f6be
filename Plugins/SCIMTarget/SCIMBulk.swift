import MISLinkHTTPClient
/// A Bulk request and its answer (RFC 7644 §3.7).
enum SCIMBulk {
    static let requestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"

    struct Operation: Sendable, Equatable, Encodable {
        var method: String
        var path: String
        var bulkId: String?
        var version: String?
        var data: JSONValue?
    }

    struct Request: Sendable, Equatable, Encodable {
        var schemas = [SCIMBulk.requestSchema]
        var operations: [Operation]

        enum CodingKeys: String, CodingKey {
            case schemas
            case operations = "Operations"
        }
    }

    struct Response: Sendable, Decodable {
        var operations: [Result]

        enum CodingKeys: String, CodingKey {
            case operations = "Operations"
        }
    }

    /// One operation's outcome. `status` is a string in the RFC's examples and a number on some servers.
    struct Result: Sendable, Decodable {
        var method: String?
        var bulkId: String?
        var version: String?
        var location: String?
        var status: Int
        var response: SCIMErrorBody?

        enum CodingKeys: String, CodingKey {
            case method, bulkId, version, location, status, response
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            method = try container.decodeIfPresent(String.self, forKey: .method)
            bulkId = try container.decodeIfPresent(String.self, forKey: .bulkId)
            version = try container.decodeIfPresent(String.self, forKey: .version)
            location = try container.decodeIfPresent(String.self, forKey: .location)
            status = try SCIMErrorBody.decodeStatus(container, forKey: .status) ?? 0
            response = try? container.decodeIfPresent(SCIMErrorBody.self, forKey: .response)
        }

        /// The resource id at the end of `location`.
        var resourceID: String? {
            guard let location, let last = location.split(separator: "/").last else { return nil }
            return String(last)
        }
    }
}
