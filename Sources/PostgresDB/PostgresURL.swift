import Foundation

/// A `postgresql://USER[:PASSWORD]@HOST:PORT/DB[?key=value…]` URL, checked before libpq sees it.
///
/// Its `description` shows `***` for the password, and `scrub(_:)` removes the password from any
/// text (libpq's messages), so a password in a URL never reaches output, logs or errors.
public struct PostgresURL: Sendable, CustomStringConvertible, Equatable {
    /// The URL as given, password included: for libpq only.
    let string: String
    /// The URL as given, password included, to hand to another process or connection. Never print it:
    /// `description` is the printable form.
    public var connectionString: String { string }
    public let user: String?
    /// `HOST:PORT` as written (empty when the host comes from `?host=/socket/dir`).
    public let hostAndPort: String
    public let database: String?
    /// The query parameters, in order, percent-decoded (`host`, `sslmode`, `options`, …).
    public let parameters: [(key: String, value: String)]
    private let password: String?
    private let rawPassword: String?

    public static func == (lhs: PostgresURL, rhs: PostgresURL) -> Bool { lhs.string == rhs.string }

    /// Whether `text` is meant as a PostgreSQL URL rather than a SQLite path.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init(_ text: String) throws {
        guard let schemeEnd = text.range(of: "://"), Self.isPostgresURL(text) else {
            throw PostgresError(
                kind: .badURL, message: "not a PostgreSQL URL (expected postgresql://USER@HOST:PORT/DB): \(Self.redactedPrefix(text))")
        }
        var rest = String(text[schemeEnd.upperBound...])
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        var path: String?
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = String(rest[..<slash])
        }
        var user: String?
        var rawPassword: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = String(rest[rest.index(after: at)...])
            if let colon = userInfo.firstIndex(of: ":") {
                user = String(userInfo[..<colon])
                rawPassword = String(userInfo[userInfo.index(after: colon)...])
            } else {
                user = String(userInfo)
            }
        }
        var parameters: [(key: String, value: String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(String(parts[0]))
            let value = parts.count > 1 ? Self.decode(String(parts[1])) : ""
            if key == "password" { rawPassword = parts.count > 1 ? String(parts[1]) : "" }
            parameters.append((key, value))
        }
        self.string = text
        self.user = user.map(Self.decode).flatMap { $0.isEmpty ? nil : $0 }
        self.hostAndPort = rest
        self.database = path.map(Self.decode).flatMap { $0.isEmpty ? nil : $0 }
        self.parameters = parameters
        self.rawPassword = rawPassword.flatMap { $0.isEmpty ? nil : $0 }
        self.password = self.rawPassword.map(Self.decode)
    }

    /// The same server and options with another database: what tests use to reach a fresh database.
    public func withDatabase(_ name: String) -> PostgresURL {
        let schemeEnd = string.range(of: "://")!
        let afterScheme = string[schemeEnd.upperBound...]
        let queryStart = afterScheme.firstIndex(of: "?") ?? afterScheme.endIndex
        let authorityEnd = afterScheme[..<queryStart].firstIndex(of: "/") ?? queryStart
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? name
        let rebuilt = string[..<authorityEnd] + "/" + encoded + string[queryStart...]
        // Built from a URL that parsed, with a percent-encoded database name: it parses again.
        return try! PostgresURL(String(rebuilt))
    }

    /// The URL with `***` for the password.
    public var description: String {
        guard let rawPassword else { return string }
        return string.replacingOccurrences(of: ":" + rawPassword + "@", with: ":***@")
            .replacingOccurrences(of: "password=" + rawPassword, with: "password=***")
    }

    /// `text` with every occurrence of the password (as written and decoded) replaced by `***`.
    public func scrub(_ text: String) -> String {
        var result = text
        for secret in [rawPassword, password].compactMap({ $0 }) where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        return result
    }

    private static func decode(_ text: String) -> String { text.removingPercentEncoding ?? text }

    /// Enough of a text that is not a URL to recognise it, cut before anything that looks like a password.
    private static func redactedPrefix(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@") else { return text }
        return String(text[..<at].prefix { $0 != ":" }) + ":…"
    }
}
