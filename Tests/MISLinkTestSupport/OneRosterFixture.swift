import Foundation

/// The OneRoster REST fixture (Tests/Fixtures/oneroster_fixture.py) serving a bundle on a free
/// loopback port, through `FixtureServer`: stopped by pid when the body ends, failing or not.
public struct RosterServer: Sendable {
    public static let clientID = "mislink-tests"
    public let port: Int
    public let secret: String
    /// One JSON line per request the server saw.
    public let logPath: String

    public var url: String { "http://127.0.0.1:\(port)/ims/oneroster/v1p1" }

    /// The requests logged so far, as (path, query).
    public func requests() throws -> [(path: String, query: [String: String])] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            return (object["path"] as? String ?? "", object["query"] as? [String: String] ?? [:])
        }
    }

    /// Serves `bundle` with the fixture's `knobs` (see the script's docstring) for the length of `body`.
    public static func with<T>(
        bundle: URL, knobs: [String] = [], secret: String = "s3cret-\(UUID().uuidString)", _ body: (RosterServer) async throws -> T
    ) async throws -> T {
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("oneroster-fixture-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let arguments = ["--bundle", bundle.path, "--client-id", clientID, "--client-secret", secret, "--log", logPath] + knobs
        return try await withFixtureServer("oneroster_fixture.py", arguments: arguments) { server in
            try await body(RosterServer(port: server.port, secret: secret, logPath: logPath))
        }
    }
}
