import Foundation
import MISLinkHTTPClient
import MISLinkKit
import MISLinkTestSupport
import SCIMTarget
import Synchronization

/// What a test does to and reads from the server behind MISLink's back: an identity-system admin.
struct SCIMAdmin {
    let http: HTTPClient

    init(_ server: SCIMServer) {
        http = HTTPClient(service: "test admin", baseURL: server.url, headers: ["Authorization": "Bearer " + server.token])
    }

    /// Every user, as raw JSON objects.
    func users() async throws -> [[String: Any]] { try await list("Users") }
    func groups() async throws -> [[String: Any]] { try await list("Groups") }

    func user(externalId: String) async throws -> [String: Any]? {
        try await users().first { $0["externalId"] as? String == externalId }
    }

    func group(externalId: String) async throws -> [String: Any]? {
        try await groups().first { $0["externalId"] as? String == externalId }
    }

    /// Member ids of a group.
    func members(ofGroup externalId: String) async throws -> Set<String> {
        let members = try await group(externalId: externalId)?["members"] as? [[String: Any]] ?? []
        return Set(members.compactMap { $0["value"] as? String })
    }

    @discardableResult
    func createUser(_ json: String) async throws -> String {
        let response = try await http.send(
            HTTPRequest(.post, "Users", headers: ["Content-Type": "application/scim+json"], body: Data(json.utf8)), context: .silent)
        return try object(response.body)["id"] as? String ?? ""
    }

    func patchUser(_ id: String, _ operations: String) async throws {
        let body = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":\#(operations)}"#
        _ = try await http.send(
            HTTPRequest(.patch, "Users/" + id, headers: ["Content-Type": "application/scim+json"], body: Data(body.utf8)), context: .silent)
    }

    private func list(_ endpoint: String) async throws -> [[String: Any]] {
        let response = try await http.send(HTTPRequest(.get, endpoint, query: [("count", "1000")]), context: .silent)
        return try object(response.body)["Resources"] as? [[String: Any]] ?? []
    }

    private func object(_ data: Data) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

/// A plugin context that keeps every log line, to see which requests were sent.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    var context: PluginContext {
        PluginContext(log: { [self] _, line in lines.withLock { $0.append(line) } })
    }

    var all: [String] { lines.withLock { $0 } }
    func requests(_ fragment: String) -> [String] { all.filter { $0.contains(fragment) } }
    func clear() { lines.withLock { $0.removeAll() } }
}

/// The `scim` target for a server, as a job would make it.
func makeTarget(_ server: SCIMServer, _ extra: [String: String] = [:]) throws -> any Target {
    var values = [
        SCIMTargetPlugin.Key.url: server.url.absoluteString,
        SCIMTargetPlugin.Key.userName: "{preferred_forename}.{surname}{n}@school.example",
    ]
    values.merge(extra) { $1 }
    return try SCIMTargetPlugin().makeTarget(config: PluginConfig(values: values, secrets: [SCIMTargetPlugin.Key.token: server.token]))
}

/// Records for the tests.
enum People {
    static func pupil(
        _ misID: String, _ forename: String, _ surname: String, preferred: String? = nil, year: String? = "5",
        reg: String? = "5A", email: String? = nil, mobile: String? = nil
    ) -> PersonRecord {
        .pupil(
            Pupil(
                details: PersonDetails(
                    misID: misID, name: PersonName(legalForename: forename, legalSurname: surname, preferredForename: preferred),
                    email: email, mobile: mobile),
                upn: "A123456789012", yearGroup: year, regGroup: reg))
    }

    static func staff(_ misID: String, _ forename: String, _ surname: String, post: String? = "Teacher") -> PersonRecord {
        .staff(
            StaffMember(
                details: PersonDetails(
                    misID: misID, name: PersonName(legalForename: forename, legalSurname: surname),
                    email: "\(forename.lowercased())@staff.example"),
                niNumber: "AB123456C", title: "Ms", post: post))
    }
}
