import Foundation

/// How a request is named in messages and log lines: the service, the method and the path. The
/// query appears only in the log line, with secret-looking values redacted.
struct RequestLabel: Sendable, CustomStringConvertible {
    let service: String
    let method: HTTPMethod
    let url: URL

    /// `Wonde: GET /v1.0/schools/A1/students`
    var text: String { "\(service): \(method.rawValue) \(url.path.isEmpty ? "/" : url.path)" }
    var description: String { text }

    var hostAndPort: String {
        let host = url.host ?? "?"
        return url.port.map { "\(host):\($0)" } ?? host
    }

    func message(_ status: Int) -> String { "\(text) answered \(status)" }

    func credentialsRefused(status: Int) -> String {
        "credentials refused by \(service) (\(status) on \(method.rawValue) \(url.path))"
    }

    /// Query keys whose values are never logged.
    static let secretKeys: Set<String> = [
        "token", "access_token", "refresh_token", "api_key", "apikey", "key", "client_secret", "password", "secret",
        "signature", "sig", "code", "auth", "authorization",
    ]

    /// The path and query for the log line, with secret-looking values replaced.
    var loggedTarget: String {
        let path = url.path.isEmpty ? "/" : url.path
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false), let items = components.percentEncodedQueryItems,
            !items.isEmpty
        else { return path }
        let query = items.map { item in
            Self.secretKeys.contains(item.name.lowercased()) ? "\(item.name)=(redacted)" : item.value.map { "\(item.name)=\($0)" } ?? item.name
        }
        return path + "?" + query.joined(separator: "&")
    }

    static func withoutQuery(_ link: String) -> String {
        link.split(separator: "?", maxSplits: 1).first.map(String.init) ?? link
    }
}
