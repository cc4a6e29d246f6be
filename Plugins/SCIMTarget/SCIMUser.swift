/// A SCIM User (RFC 7643 §4.1) with the enterprise extension (§4.3): the attributes MISLink sends
/// and reads. Everything is optional, so a server that omits or adds attributes still decodes.
public struct SCIMUser: Sendable, Equatable, Codable {
    public static let schema = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let enterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    public var schemas: [String]?
    public var id: String?
    public var externalId: String?
    public var userName: String?
    public var name: Name?
    public var displayName: String?
    /// Staff: the post; pre-admissions: "Pre-admission".
    public var title: String?
    public var userType: String?
    public var active: Bool?
    public var emails: [MultiValue]?
    public var phoneNumbers: [MultiValue]?
    public var enterprise: Enterprise?
    public var meta: Meta?

    public struct Name: Sendable, Equatable, Codable {
        public var givenName: String?
        public var familyName: String?
        public var honorificPrefix: String?
    }

    /// One entry of a multi-valued attribute (`emails`, `phoneNumbers`, a Group's `members`).
    public struct MultiValue: Sendable, Equatable, Codable {
        public var value: String?
        public var type: String?
        public var primary: Bool?

        public init(value: String?, type: String? = nil, primary: Bool? = nil) {
            self.value = value
            self.type = type
            self.primary = primary
        }
    }

    public struct Enterprise: Sendable, Equatable, Codable {
        public var employeeNumber: String?
        public var organization: String?
        public var department: String?
    }

    public struct Meta: Sendable, Equatable, Codable {
        /// The ETag: compared for equality only (scim2-server counts versions across all resources).
        public var version: String?
    }

    enum CodingKeys: String, CodingKey {
        case schemas, id, externalId, userName, name, displayName, title, userType, active, emails, phoneNumbers, meta
        case enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    }

    public init() {}
}
