import Foundation
import MISLinkKit

/// The REST binding's settings: base URL, OAuth2 client credentials, paging and deltas.
struct RESTSettings: Sendable {
    /// How the client id and secret go to the token endpoint. RFC 6749 prefers HTTP Basic; some
    /// servers want them as form fields instead (which one a given producer takes is UNVERIFIED).
    enum ClientAuth: String, Sendable {
        case basic, form
    }

    /// How deltas are asked for: `filter=dateLastModified>'…'` (falling back to a full pull when the
    /// server refuses it), or always a full pull compared by `dateLastModified` here (`full`), for
    /// servers that ignore filters silently.
    enum Delta: String, Sendable {
        case filter, full
    }

    var baseURL: URL
    var tokenURL: URL
    var clientID: String
    /// Empty at add/set time, when secrets are not read.
    var clientSecret: String
    var clientAuth: ClientAuth
    var scope: String?
    var limit: Int
    var delta: Delta

    init(url text: String, config: PluginConfig, secrets: Bool) throws {
        let url = try OneRosterSettings.webURL(text, key: "url")
        baseURL = url.path.hasSuffix("/") ? url : url.appendingPathComponent("")
        tokenURL = try config["token-url"].map { try OneRosterSettings.webURL($0, key: "token-url") }
            ?? baseURL.appendingPathComponent("token")
        guard let id = config["client-id"], !id.isEmpty else {
            throw OneRosterError.config("client-id", "is not set: the REST binding signs in with OAuth2 client credentials")
        }
        clientID = id
        clientSecret = secrets ? try config.require("client-secret", plugin: "oneroster") : ""
        let auth = config["client-auth"] ?? "basic"
        guard let clientAuth = ClientAuth(rawValue: auth.lowercased()) else {
            throw OneRosterError.config("client-auth", "is '\(auth)': give basic or form")
        }
        self.clientAuth = clientAuth
        scope = config["scope"].flatMap { $0.isEmpty ? nil : $0 }
        let limitText = config["limit"] ?? "100"
        guard let limit = Int(limitText), (1...10_000).contains(limit) else {
            throw OneRosterError.config("limit", "is '\(limitText)': give a page size from 1 to 10000")
        }
        self.limit = limit
        let deltaText = config["delta"] ?? "filter"
        guard let delta = Delta(rawValue: deltaText.lowercased()) else {
            throw OneRosterError.config("delta", "is '\(deltaText)': give filter or full")
        }
        self.delta = delta
    }
}
