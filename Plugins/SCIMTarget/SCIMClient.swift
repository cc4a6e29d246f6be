import Foundation
import MISLinkHTTPClient
import MISLinkKit

/// The SCIM protocol calls the target makes (RFC 7644), over the plugins' HTTP client: no state,
/// no policy. Statuses that mean something to the caller (404, 409, 412) come back as values;
/// every other failure is the HTTP client's `PluginError`.
struct SCIMClient: Sendable {
    static let contentType = "application/scim+json"

    let http: HTTPClient

    enum Created {
        case created(SCIMUser)
        /// 409 `uniqueness`: the userName is taken (case-insensitively, on scim2-server).
        case taken
    }

    enum Patched {
        /// Done; the resource's new ETag when the server sent one.
        case done(version: String?)
        /// 412: the resource changed since its ETag was read.
        case stale
    }

    /// The server's capabilities; a server without the endpoint (404, 501) is taken to have none beyond the core.
    func serviceProviderConfig(context: PluginContext) async throws -> SCIMServiceProviderConfig {
        let response = try await http.send(HTTPRequest(.get, "ServiceProviderConfig", accept: [404, 501]), context: context)
        guard response.status == 200 else {
            context.log(.info, "scim: the server has no ServiceProviderConfig (\(response.status)); Bulk is not used")
            return .minimal
        }
        return try response.decode(SCIMServiceProviderConfig.self)
    }

    /// Every resource of `endpoint` (`Users`, `Groups`) the filter selects, page by page
    /// (`startIndex`/`count`); a failing page fails the whole read.
    func list<Resource: Decodable & Sendable>(
        _ endpoint: String, as type: Resource.Type, filter: String?, pageSize: Int, sorted: Bool, context: PluginContext,
        body: ([Resource]) throws -> Void
    ) async throws {
        var base: [(String, String)] = []
        if let filter { base.append(("filter", filter)) }
        // A stable order keeps pages from shifting under a server that returns them unordered.
        if sorted { base.append(("sortBy", "id")) }
        try await http.walkOffsets(
            limit: pageSize, start: 1, as: SCIMListResponse<Resource>.self,
            makeRequest: { offset in
                HTTPRequest(.get, endpoint, query: base + [("startIndex", String(offset)), ("count", String(pageSize))])
            },
            count: { $0.resources.count }, total: { $0.totalResults }, context: context,
            body: { try body($0.resources) })
    }

    /// The users a filter selects (one page: filters here pick one person).
    func users(filter: String, context: PluginContext) async throws -> [SCIMUser] {
        try await http.send(HTTPRequest(.get, "Users", query: [("filter", filter)]), context: context)
            .decode(SCIMListResponse<SCIMUser>.self).resources
    }

    /// One user, with its ETag; nil when the server has no such user.
    func user(id: String, context: PluginContext) async throws -> SCIMUser? {
        let response = try await http.send(HTTPRequest(.get, "Users/" + Self.pathSegment(id), accept: [404]), context: context)
        guard response.status != 404 else { return nil }
        return Self.withVersion(try response.decode(SCIMUser.self), response)
    }

    func create(_ user: SCIMUser, context: PluginContext) async throws -> Created {
        let response = try await http.send(
            try .json(.post, "Users", user, contentType: Self.contentType, accept: [409]), context: context)
        if response.status == 409 {
            let error = try? response.decode(SCIMErrorBody.self)
            guard error?.scimType == nil || error?.scimType == "uniqueness" else {
                throw PluginError.permanent("scim: the server refused the new user (409 \(error?.scimType ?? "")): \(error?.detail ?? "")")
            }
            return .taken
        }
        return .created(Self.withVersion(try response.decode(SCIMUser.self), response))
    }

    /// PATCHes a resource (`Users/<id>`, `Groups/<id>`), with `If-Match` when a version is given.
    func patch(_ path: String, _ operations: [SCIMPatch.Operation], ifMatch version: String?, context: PluginContext)
        async throws -> Patched
    {
        var headers: [String: String] = [:]
        if let version { headers["If-Match"] = version }
        let response = try await http.send(
            try .json(.patch, path, SCIMPatch(operations), contentType: Self.contentType, headers: headers, accept: [412]),
            context: context)
        if response.status == 412 { return .stale }
        return .done(version: response.header("ETag"))
    }

    /// DELETEs a resource (`Users/<id>`); false when the server had no such resource (404): gone already.
    @discardableResult
    func delete(_ path: String, context: PluginContext) async throws -> Bool {
        try await http.send(HTTPRequest(.delete, path, accept: [404]), context: context).status != 404
    }

    func createGroup(_ group: SCIMGroup, context: PluginContext) async throws -> SCIMGroup {
        try await http.send(try .json(.post, "Groups", group, contentType: Self.contentType), context: context)
            .decode(SCIMGroup.self)
    }

    /// One Bulk request; each operation's outcome in order.
    func bulk(_ operations: [SCIMBulk.Operation], context: PluginContext) async throws -> [SCIMBulk.Result] {
        try await http.send(
            try .json(.post, "Bulk", SCIMBulk.Request(operations: operations), contentType: Self.contentType), context: context
        ).decode(SCIMBulk.Response.self).operations
    }

    /// `attribute eq "value"`, with the value quoted as a SCIM filter string.
    static func equals(_ attribute: String, _ value: String) -> String { attribute + " eq " + quoted(value) }
    static func startsWith(_ attribute: String, _ value: String) -> String { attribute + " sw " + quoted(value) }

    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// An id as one URL path segment.
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
    }

    /// The ETag from the header when the body's `meta.version` lacks it.
    private static func withVersion(_ user: SCIMUser, _ response: HTTPResponse) -> SCIMUser {
        guard user.meta?.version == nil, let tag = response.header("ETag") else { return user }
        var user = user
        user.meta = SCIMUser.Meta(version: tag)
        return user
    }
}
