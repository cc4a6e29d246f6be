import Foundation
import MISLinkHTTPClient
import MISLinkKit

/// The `scim` target plugin: provisions pupils and staff as SCIM 2.0 Users (and their registration
/// and year groups as Groups) into an identity system or SaaS that speaks SCIM.
public struct SCIMTargetPlugin: TargetPlugin {
    /// The config keys. `url` and `token` are the names the product documents; a connector with a
    /// `url` or a `token` of its own takes the plain key too, so beside one the target's is given as
    /// `target.url`/`target.token`, or as `scim-url`/`scim-token` (the names of kit 1.3, kept).
    public enum Key {
        public static let url = "url"
        public static let token = "token"
        public static let legacyURL = "scim-url"
        public static let legacyToken = "scim-token"
        public static let userName = "user-name"
        public static let groups = "groups"
        public static let pageSize = "page-size"
        public static let bulk = "bulk"
        public static let usersFilter = "users-filter"
        public static let organization = "organization"
    }

    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(
            id: "scim",
            role: .target,
            version: "1.0.0",
            summary: "Provisions pupils and staff as SCIM 2.0 Users (and registration and year groups as Groups)",
            configKeys: [
                ConfigKey(Key.url, summary: "the SCIM base URL, e.g. https://idp.example/scim/v2", aliases: [Key.legacyURL]),
                ConfigKey(
                    Key.token, summary: "the bearer token the SCIM server gave MISLink", secret: true, aliases: [Key.legacyToken]),
                ConfigKey(
                    Key.userName,
                    summary: "template of a new user's userName, e.g. {preferred_forename}.{surname}{n}@school.example "
                        + "({n}: empty, then 2, 3, … while the name is taken)"),
                ConfigKey(Key.groups, summary: "on: registration and year groups become SCIM Groups (default off)", required: false),
                ConfigKey(Key.pageSize, summary: "resources per page of a query, 1-1000 (default 100)", required: false),
                ConfigKey(Key.bulk, summary: "auto (default): use /Bulk when the server advertises it; off: never", required: false),
                ConfigKey(
                    Key.organization,
                    summary: "the school's name: written to enterprise organization, and only its users and groups are MISLink's",
                    required: false),
                ConfigKey(
                    Key.usersFilter,
                    summary:
                        "SCIM filter of the users to list and match (default: externalId pr, and the organization's when set; none: every user)",
                    required: false),
            ])
    }

    /// A target for the configured server. Nothing is sent until a job calls it.
    public func makeTarget(config: PluginConfig) throws -> any Target {
        let settings = try SCIMSettings(config: config)
        let token = try SCIMSettings.either(Key.token, Key.legacyToken, in: config)
        let client = HTTPClient(
            service: "SCIM server", baseURL: settings.url,
            headers: ["Authorization": "Bearer " + token, "Accept": "application/scim+json, application/json"], secrets: [token])
        return SCIMTarget(settings: settings, client: client)
    }

    /// Checked at `integration add` and `set`: the URL, the template and the switches.
    public func validate(config: PluginConfig) throws {
        _ = try SCIMSettings(config: config)
    }
}
