import Foundation
import MISLinkKit

/// The `scim` target's configuration, checked once: at `integration add`/`set` (plain values) and
/// again when a job makes the target. Every message names the key.
public struct SCIMSettings: Sendable, Equatable {
    /// The SCIM base URL, e.g. `https://idp.example/scim/v2` (the folder holding `/Users`).
    public var url: URL
    public var userName: UserNameTemplate
    /// Registration and year groups as SCIM Groups.
    public var groups: Bool
    /// Resources per page of a query (`count`), lowered to the server's `filter.maxResults`.
    public var pageSize: Int
    /// Whether `/Bulk` may be used when the server advertises it.
    public var bulk: Bool
    /// Which users `listPeople` reads; nil reads every user.
    public var usersFilter: String?
    /// The school's name, written to enterprise `organization` and scoping the users listed and the
    /// groups' ids, so several schools can share one SCIM tenant without matching each other's pupils.
    public var organization: String?

    /// By default only users that carry an MIS id: a tenant's other accounts are not MISLink's to match.
    public static let defaultUsersFilter = "externalId pr"

    /// With an organization, only that school's users.
    public static func defaultUsersFilter(organization: String?) -> String {
        guard let organization else { return defaultUsersFilter }
        return defaultUsersFilter + " and " + SCIMClient.equals(SCIMUser.enterpriseSchema + ":organization", organization)
    }

    public static let defaultPageSize = 100

    public init(url: URL, userName: UserNameTemplate, groups: Bool = false, pageSize: Int = defaultPageSize, bulk: Bool = true,
        usersFilter: String? = defaultUsersFilter, organization: String? = nil
    ) {
        self.url = url
        self.usersFilter = usersFilter
        self.organization = organization
        self.userName = userName
        self.groups = groups
        self.pageSize = pageSize
        self.bulk = bulk
    }

    /// `key`'s value, else `legacy`'s; a permanent error naming `key` when neither is given.
    static func either(_ key: String, _ legacy: String, in config: PluginConfig) throws -> String {
        if let value = config[key], !value.isEmpty { return value }
        if let value = config[legacy], !value.isEmpty { return value }
        throw PluginError.permanent("scim: the config key '\(key)' (or '\(legacy)') is required")
    }

    /// Reads the plain keys (`url`, `user-name`, `groups`, `page-size`, `bulk`).
    public init(config: PluginConfig) throws {
        let text = try Self.either(SCIMTargetPlugin.Key.url, SCIMTargetPlugin.Key.legacyURL, in: config)
            .trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw PluginError.permanent("scim: \(SCIMTargetPlugin.Key.url) '\(text)' is not an http(s) URL")
        }
        guard url.query == nil, url.user == nil, url.password == nil else {
            throw PluginError.permanent(
                "scim: \(SCIMTargetPlugin.Key.url) must be a plain base URL (no query, no user or password: the token is the secret \(SCIMTargetPlugin.Key.token))")
        }
        self.url = url
        userName = try UserNameTemplate(try config.require(SCIMTargetPlugin.Key.userName, plugin: "scim"))
        groups = try Self.onOff(config[SCIMTargetPlugin.Key.groups], key: SCIMTargetPlugin.Key.groups, default: false)
        bulk = try Self.bulkSetting(config[SCIMTargetPlugin.Key.bulk])
        organization = SCIMUser.nonEmpty(config[SCIMTargetPlugin.Key.organization])
        switch config[SCIMTargetPlugin.Key.usersFilter]?.trimmingCharacters(in: .whitespaces) {
        case nil, "": usersFilter = Self.defaultUsersFilter(organization: organization)
        case "none": usersFilter = nil
        case let filter?: usersFilter = filter
        }
        pageSize = Self.defaultPageSize
        if let size = config[SCIMTargetPlugin.Key.pageSize]?.trimmingCharacters(in: .whitespaces), !size.isEmpty {
            guard let number = Int(size), (1...1000).contains(number) else {
                throw PluginError.permanent("scim: \(SCIMTargetPlugin.Key.pageSize) '\(size)' is not a number from 1 to 1000")
            }
            pageSize = number
        }
    }

    static func onOff(_ text: String?, key: String, default value: Bool) throws -> Bool {
        switch text?.lowercased().trimmingCharacters(in: .whitespaces) {
        case nil, "": return value
        case "on", "yes", "true": return true
        case "off", "no", "false": return false
        case let other?: throw PluginError.permanent("scim: \(key) '\(other)' is not on or off")
        }
    }

    static func bulkSetting(_ text: String?) throws -> Bool {
        switch text?.lowercased().trimmingCharacters(in: .whitespaces) {
        case nil, "", "auto": return true
        case "off": return false
        case let other?: throw PluginError.permanent("scim: \(SCIMTargetPlugin.Key.bulk) '\(other)' is not auto or off")
        }
    }
}
