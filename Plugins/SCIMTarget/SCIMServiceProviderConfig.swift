/// What a server says it can do (RFC 7643 §5): read once per job, tolerant of anything missing.
public struct SCIMServiceProviderConfig: Sendable, Equatable, Decodable {
    public struct Feature: Sendable, Equatable, Decodable {
        public var supported: Bool?
    }

    public struct Bulk: Sendable, Equatable, Decodable {
        public var supported: Bool?
        public var maxOperations: Int?
        public var maxPayloadSize: Int?
    }

    public struct Filter: Sendable, Equatable, Decodable {
        public var supported: Bool?
        public var maxResults: Int?
    }

    public var patch: Feature?
    public var bulk: Bulk?
    public var filter: Filter?
    public var etag: Feature?
    public var sort: Feature?

    /// A server that answers no config: nothing beyond the core protocol is assumed.
    public static let minimal = SCIMServiceProviderConfig()

    public init(patch: Feature? = nil, bulk: Bulk? = nil, filter: Filter? = nil, etag: Feature? = nil, sort: Feature? = nil) {
        self.patch = patch
        self.bulk = bulk
        self.filter = filter
        self.etag = etag
        self.sort = sort
    }

    /// Bulk requests may be sent, within these limits.
    public var bulkLimits: (maxOperations: Int, maxPayloadSize: Int)? {
        guard bulk?.supported == true, let operations = bulk?.maxOperations, operations > 1,
            let size = bulk?.maxPayloadSize, size > 0
        else { return nil }
        return (operations, size)
    }
}
