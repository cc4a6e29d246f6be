/// A SCIM Group (RFC 7643 §4.2): a registration group or a year group, with its members.
/// Membership is read from here only: scim2-server never fills `User.groups`.
public struct SCIMGroup: Sendable, Equatable, Codable {
    public static let schema = "urn:ietf:params:scim:schemas:core:2.0:Group"

    public var schemas: [String]?
    public var id: String?
    public var externalId: String?
    public var displayName: String?
    public var members: [SCIMUser.MultiValue]?
    public var meta: SCIMUser.Meta?

    public init(externalId: String, displayName: String, members: [String]) {
        schemas = [Self.schema]
        self.externalId = externalId
        self.displayName = displayName
        self.members = members.map { SCIMUser.MultiValue(value: $0) }
    }
}
