import Foundation
import PostgresDB

/// The PostgreSQL server the tests may use: `MISLINK_TEST_POSTGRES`, a server URL such as
/// `postgresql://postgres@127.0.0.1:5432/postgres` (`.ci/with-postgres` starts a throwaway server
/// and sets it). Each test gets a database of its own, created fresh and dropped afterwards.
///
/// Without the variable, PostgreSQL tests are disabled through `.enabled(if: TestPostgres.isAvailable)`
/// and one notice test (`TestPostgres.skipNotice`) says so.
public enum TestPostgres {
    /// The server URL, or nil when the PostgreSQL half is not to run.
    public static let serverURL: String? = {
        let value = ProcessInfo.processInfo.environment["MISLINK_TEST_POSTGRES"] ?? ""
        return value.isEmpty ? nil : value
    }()

    public static var isAvailable: Bool { serverURL != nil }

    /// Whether this is CI (`CI=true`), where the PostgreSQL half must run, never be skipped.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// What a run without a server prints, once.
    public static let skipNotice = """
        The PostgreSQL half of the tests was skipped: MISLINK_TEST_POSTGRES is not set. Run it with \
        MISLINK_TEST_POSTGRES=postgresql://USER@HOST:PORT/DB swift test, or let .ci/with-postgres start \
        a throwaway server: .ci/with-postgres swift test
        """

    /// Runs `body` with the URL of a new, empty database on the test server, dropped afterwards
    /// (with any connections still open to it), whatever `body` does.
    public static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let (server, name) = try createDatabase()
        defer { dropDatabase(name, on: server) }
        return try await body(server.withDatabase(name).connectionString)
    }

    /// The synchronous form.
    public static func withDatabase<T>(_ body: (String) throws -> T) throws -> T {
        let (server, name) = try createDatabase()
        defer { dropDatabase(name, on: server) }
        return try body(server.withDatabase(name).connectionString)
    }

    private static func createDatabase() throws -> (PostgresURL, String) {
        guard let serverURL else { throw PostgresError(kind: .badURL, message: "MISLINK_TEST_POSTGRES is not set") }
        let server = try PostgresURL(serverURL)
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let admin = try PostgresConnection(url: server)
        try admin.execute("CREATE DATABASE " + admin.quoteIdentifier(name))
        return (server, name)
    }

    private static func dropDatabase(_ name: String, on server: PostgresURL) {
        guard let admin = try? PostgresConnection(url: server), let quoted = try? admin.quoteIdentifier(name) else { return }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)")
    }
}
