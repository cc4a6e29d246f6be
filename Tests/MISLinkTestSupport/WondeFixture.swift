import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Wonde fixture server (`Tests/Fixtures/wonde_fixture.py`) serving one generated school, and
/// its control endpoint: knobs, changes to the school, and what it was asked.
public struct WondeFixture: Sendable {
    public static let token = "wonde-tok-5d1e9a7c33b24f0e"
    public static let school = "A1930499544"

    public let server: FixtureServer

    /// What the connector's `domain` key takes to reach it.
    public var domain: String { server.baseURL }

    /// The plain config values that reach this fixture, with `extra` on top (the token is a secret).
    public func values(_ extra: [String: String] = [:]) -> [String: String] {
        ["school": Self.school, "domain": domain].merging(extra) { $1 }
    }

    /// Merges `knobs` into the fixture's (see KNOBS in the script).
    public func set(_ knobs: [String: Any]) async throws {
        _ = try await control("POST", "/_control", knobs)
    }

    /// Changes the school (rename, add, delete, restore, leave, delete-employee); answers the MIS ids.
    @discardableResult
    public func apply(_ ops: [[String: Any]]) async throws -> [String] {
        let answer = try await control("POST", "/_control/ops", ops)
        return (answer["applied"] as? [String]) ?? []
    }

    /// The requests it served (method, path, query), the write-backs posted, the knobs.
    public func state() async throws -> [String: Any] { try await control("GET", "/_control/state", nil) }

    /// The requests served whose path ends in `suffix`.
    public func requests(_ method: String? = nil, pathEnding suffix: String) async throws -> [[String: Any]] {
        let log = (try await state()["log"] as? [[String: Any]]) ?? []
        return log.filter {
            ($0["path"] as? String)?.hasSuffix(suffix) == true && (method == nil || $0["method"] as? String == method)
        }
    }

    /// The bodies of the write-backs posted.
    public func posts() async throws -> [[String: Any]] { (try await state()["posts"] as? [[String: Any]]) ?? [] }

    private func control(_ method: String, _ path: String, _ body: Any?) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: server.baseURL + path)!, timeoutInterval: 60)
        request.httpMethod = method
        if let body { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
        let (data, _) = try await URLSession.shared.data(for: request)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureServer.Failure(description: "the Wonde fixture's \(path) answered no JSON object")
        }
        return object
    }
}

/// Runs `body` with a fresh fixture school (`students` on roll, `employees` staff, 2 pre-admissions,
/// 2 leavers), stopped afterwards.
public func withWondeFixture<T>(
    students: Int = 30, employees: Int = 5, knobs: [String: Any] = [:], _ body: (WondeFixture) async throws -> T
) async throws -> T {
    let knobText = String(decoding: try JSONSerialization.data(withJSONObject: knobs), as: UTF8.self)
    return try await withFixtureServer(
        "wonde_fixture.py",
        arguments: [
            "--token", WondeFixture.token, "--school", WondeFixture.school, "--students", String(students),
            "--employees", String(employees), "--knobs", knobText,
        ]
    ) { server in
        try await body(WondeFixture(server: server))
    }
}
