import Foundation

/// One request a plugin sends: relative to its client's base URL, or an absolute link the remote
/// handed back (a `next` page), which must stay on the base URL's origin.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// A path relative to the base URL (`schools/123/students`) or an absolute URL on its origin.
    public var target: String
    /// Appended to the target's own query, percent-encoded.
    public var query: [(String, String)]
    /// On top of the client's headers; a request's header replaces the client's of the same name.
    public var headers: [String: String]
    public var body: Data?
    /// nil: the client's timeout.
    public var timeout: TimeInterval?
    /// Statuses handed back to the caller instead of thrown (a target's 404, 409 or 412).
    public var accept: Set<Int>

    public init(
        _ method: HTTPMethod = .get, _ target: String, query: [(String, String)] = [], headers: [String: String] = [:],
        body: Data? = nil, timeout: TimeInterval? = nil, accept: Set<Int> = []
    ) {
        self.method = method
        self.target = target
        self.query = query
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.accept = accept
    }

    /// A JSON body; `contentType` may name a JSON dialect (`application/scim+json`).
    public static func json<T: Encodable>(
        _ method: HTTPMethod, _ target: String, _ value: T, contentType: String = "application/json",
        query: [(String, String)] = [], headers: [String: String] = [:], accept: Set<Int> = []
    ) throws -> HTTPRequest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var all = headers
        all["Content-Type"] = contentType
        return HTTPRequest(method, target, query: query, headers: all, body: try encoder.encode(value), accept: accept)
    }

    /// An `application/x-www-form-urlencoded` POST (OAuth2 token requests).
    public static func form(_ target: String, _ fields: [(String, String)], headers: [String: String] = [:]) -> HTTPRequest {
        var all = headers
        all["Content-Type"] = "application/x-www-form-urlencoded"
        let body = fields.map { FormEncoding.encode($0.0) + "=" + FormEncoding.encode($0.1) }.joined(separator: "&")
        return HTTPRequest(.post, target, headers: all, body: Data(body.utf8))
    }
}

/// Percent-encoding for query strings and form bodies: everything but RFC 3986's unreserved set.
enum FormEncoding {
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
