import Foundation

/// One parsed HTTP/1.1 request, as the server hands it to its handler.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, … as sent (upper case).
    public var method: String
    /// The path, percent-decoded, without the query (`/api/jobs/42`).
    public var path: String
    /// The query's parameters, percent-decoded (`+` as space), each name with every value it was given.
    public var query: [String: [String]]
    public var headers: HTTPHeaders
    public var body: Data
    /// The peer's address (`127.0.0.1`), for rate limits and logs.
    public var clientAddress: String

    public init(
        method: String, path: String, query: [String: [String]] = [:], headers: HTTPHeaders = HTTPHeaders(),
        body: Data = Data(), clientAddress: String = "127.0.0.1"
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.clientAddress = clientAddress
    }

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? { query[name]?.first }
}

/// Header fields in the order they came, looked up without regard to case.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every field of that name with one.
    public mutating func set(_ name: String, _ value: String) {
        fields.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        fields.append((name, value))
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}
