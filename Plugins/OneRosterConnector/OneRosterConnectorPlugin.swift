import Foundation
import MISLinkKit

/// The `oneroster` connector: OneRoster 1.1, the open roster standard many MIS platforms and
/// Xporter serve, read from a CSV bundle (`dir`) or the REST binding (`url`).
public struct OneRosterConnectorPlugin: ConnectorPlugin {
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(
            id: "oneroster",
            role: .connector,
            version: "1.0.0",
            summary: "Reads pupils, staff and contacts from OneRoster 1.1: a CSV bundle or the REST binding (OAuth2)",
            configKeys: [
                ConfigKey("dir", summary: "folder of a OneRoster CSV bundle (with manifest.csv); or give url", required: false),
                ConfigKey("url", summary: "REST base URL, e.g. https://host/ims/oneroster/v1p1; or give dir", required: false),
                ConfigKey("client-id", summary: "OAuth2 client id (REST)", required: false),
                ConfigKey("client-secret", summary: "OAuth2 client secret (REST)", secret: true, required: false),
                ConfigKey("token-url", summary: "OAuth2 token URL (REST; default URL/token)", required: false),
                ConfigKey("client-auth", summary: "how the client credentials go to the token URL: basic (default) or form", required: false),
                ConfigKey("scope", summary: "OAuth2 scope to ask for (REST; default none)", required: false),
                ConfigKey("limit", summary: "page size for limit/offset paging (REST; default 100)", required: false),
                ConfigKey("delta", summary: "filter (default: dateLastModified filter, full pull if refused) or full (REST)", required: false),
                ConfigKey("school", summary: "the school's org sourcedId or identifier (default: every school)", required: false),
                ConfigKey("grade-map", summary: "grades to year groups: numbered (default), us-age, and GRADE=YEAR pairs", required: false),
                ConfigKey("upn", summary: "where the UPN is: userIds:TYPE (default userIds:UPN), identifier or none", required: false),
                ConfigKey("staff-roles", summary: "user roles read as staff, comma-separated (default teacher)", required: false),
            ])
    }

    public func makeConnector(config: PluginConfig) throws -> any Connector {
        let settings = try OneRosterSettings(config: config, secrets: true)
        switch settings.source {
        case .bundle(let directory):
            return OneRosterConnector(source: BundleReader(directory: directory), mapping: settings.mapping)
        case .rest(let rest):
            return OneRosterConnector(source: try RESTReader(settings: rest), mapping: settings.mapping)
        }
    }

    /// Checked at `integration add` and `set` (kit 1.1): both or neither of dir and url, a folder
    /// without manifest.csv, a URL that is not http(s), a bad page size or mapping are refused then.
    public func validate(config: PluginConfig) throws {
        _ = try OneRosterSettings(config: config, secrets: false)
    }
}
