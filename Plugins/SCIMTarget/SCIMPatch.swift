import MISLinkHTTPClient
/// A PATCH request body (RFC 7644 §3.5.2): operations with paths, so a change names only what
/// MISLink owns and leaves the rest of the resource as the server has it.
public struct SCIMPatch: Sendable, Equatable, Encodable {
    public static let schema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    public struct Operation: Sendable, Equatable, Encodable {
        public var op: String
        public var path: String
        public var value: JSONValue?

        public static func replace(_ path: String, _ value: JSONValue) -> Operation {
            Operation(op: "replace", path: path, value: value)
        }

        public static func add(_ path: String, _ value: JSONValue) -> Operation { Operation(op: "add", path: path, value: value) }
        public static func remove(_ path: String) -> Operation { Operation(op: "remove", path: path, value: nil) }
    }

    public var schemas = [Self.schema]
    public var operations: [Operation]

    enum CodingKeys: String, CodingKey {
        case schemas
        case operations = "Operations"
    }

    public init(_ operations: [Operation]) {
        self.operations = operations
    }
}
