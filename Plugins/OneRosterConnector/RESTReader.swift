import Foundation
import MISLinkHTTPClient
import MISLinkKit

/// The REST binding: `GET users`, `classes`, `enrollments`, `demographics` and `orgs` under the base
/// URL, walked by limit/offset (ended by `X-Total-Count`, or a short page when the server sends no
/// total). Every page must arrive whole: a failed or truncated page fails the read.
///
/// Deltas: users come with `filter=dateLastModified>'…'`. A server that refuses the filter (400,
/// 422, 501), or `delta=full`, gets a full pull instead, compared here by `dateLastModified`.
/// Classes, enrollments and demographics are always read whole (some servers ignore filters on
/// them, and a pupil's registration group needs them all); a user whose enrollment or demographics
/// changed since is added to the delta.
struct RESTReader: RosterSource {
    let settings: RESTSettings
    private let session: RESTSession

    init(settings: RESTSettings) throws {
        self.settings = settings
        session = RESTSession(settings: settings)
    }

    /// Signs in and reads one org.
    func check(context: PluginContext) async throws {
        let client = try await session.client(context: context)
        _ = try await client.send(HTTPRequest(.get, "orgs", query: [("limit", "1"), ("offset", "0")]), context: context)
    }

    func read(changedSince: Date?, context: PluginContext) async throws -> Roster {
        var roster = Roster()
        roster.orgs = try await walk("orgs", context: context, decode: RosterOrg.init(row:))
        let classes = try await walk("classes", context: context, decode: RosterClass.init(row:))
        roster.classes = Dictionary(classes.map { ($0.sourcedId, $0) }) { _, last in last }
        roster.enrollments = try await walk("enrollments", context: context, decode: RosterEnrollment.init(row:))
        let demographics = try await walk("demographics", context: context, decode: RosterDemographics.init(row:))
        roster.demographics = Dictionary(demographics.map { ($0.sourcedId, $0) }) { _, last in last }
        guard let since = changedSince else {
            roster.users = try await allUsers(context: context)
            return roster
        }
        roster.usersAreDelta = true
        // Users whose registration group or date of birth may have changed without their own record.
        let touched = Set(roster.enrollments.filter { Self.changed($0.dateLastModified, since) }.map(\.userSourcedId))
            .union(demographics.filter { Self.changed($0.dateLastModified, since) }.map(\.sourcedId))
        if settings.delta == .filter, let filtered = try await filteredUsers(since: since, context: context) {
            roster.users = filtered
            let have = Set(filtered.map(\.sourcedId))
            for id in touched.subtracting(have).sorted() {
                if let user = try await user(id, context: context) { roster.users.append(user) }
            }
        } else {
            roster.users = try await allUsers(context: context).filter {
                $0.dateLastModified.map { $0 > since } ?? true || touched.contains($0.sourcedId)
            }
        }
        return roster
    }

    private static func changed(_ date: Date?, _ since: Date) -> Bool { date.map { $0 > since } ?? false }

    private func allUsers(context: PluginContext) async throws -> [RosterUser] {
        var places: [String: String] = [:]
        return try await walk("users", context: context) { try RosterUser(row: $0, unique: &places) }
    }

    /// The users changed since `since` through the server's filter, or nil when it refuses filters.
    private func filteredUsers(since: Date, context: PluginContext) async throws -> [RosterUser]? {
        let filter = [("filter", "dateLastModified>'\(RosterDate.filterText(since))'")]
        let client = try await session.client(context: context)
        var probe = HTTPRequest(.get, "users", query: filter + [("limit", "1"), ("offset", "0")])
        probe.accept = [400, 422, 501]
        let answer = try await client.send(probe, context: context)
        guard answer.status == 200 else {
            context.log(
                .info,
                "oneroster: the server refused filter=dateLastModified (\(answer.status) on GET users); reading every user and comparing dateLastModified here")
            return nil
        }
        var places: [String: String] = [:]
        return try await walk("users", query: filter, context: context) { try RosterUser(row: $0, unique: &places) }
    }

    /// One user by id (`GET users/{id}`), nil when the server no longer has it.
    private func user(_ id: String, context: PluginContext) async throws -> RosterUser? {
        let client = try await session.client(context: context)
        let target = "users/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id)
        let answer = try await client.send(HTTPRequest(.get, target, accept: [404]), context: context)
        guard answer.status != 404 else { return nil }
        guard case .object(let fields)? = try answer.decode([String: JSONValue].self)["user"] else {
            throw PluginError.permanent("oneroster: GET users/\(id) answered without a 'user' object")
        }
        return try RosterUser(row: RosterRow(request: "GET users/\(id)", number: 1, values: JSONValue.row(fields)))
    }

    /// Every record of `entity` (`{"users": [...]}` per page), each decoded from its row form.
    private func walk<Record>(
        _ entity: String, query: [(String, String)] = [], context: PluginContext, decode: (RosterRow) throws -> Record
    ) async throws -> [Record] {
        let client = try await session.client(context: context)
        let limit = settings.limit
        var records: [Record] = []
        try await client.walkOffsets(
            limit: limit, as: [String: JSONValue].self,
            makeRequest: { HTTPRequest(.get, entity, query: query + [("limit", String(limit)), ("offset", String($0))]) },
            count: { page in if case .array(let items)? = page[entity] { items.count } else { 0 } },
            totalHeader: "X-Total-Count", context: context
        ) { page in
            guard case .array(let items)? = page[entity] else {
                throw PluginError.permanent("oneroster: GET \(entity) answered without a '\(entity)' list; nothing was read")
            }
            for item in items {
                guard case .object(let fields) = item else {
                    throw PluginError.permanent("oneroster: GET \(entity) record \(records.count + 1) is not an object; nothing was read")
                }
                records.append(try decode(RosterRow(request: "GET \(entity)", number: records.count + 1, values: JSONValue.row(fields))))
            }
            try context.checkCancellation()
        }
        context.report(.init(done: records.count, total: records.count, message: "read \(entity) from OneRoster"))
        return records
    }
}
