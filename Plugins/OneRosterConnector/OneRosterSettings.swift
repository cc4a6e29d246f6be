import Foundation
import MISLinkKit

/// The `oneroster` connector's configuration, checked once for `validate(config:)` and `makeConnector`.
struct OneRosterSettings: Sendable {
    /// Where the roster comes from: a CSV bundle folder or the REST binding.
    enum Source: Sendable {
        case bundle(URL)
        case rest(RESTSettings)
    }

    var source: Source
    var mapping: RosterMapping

    /// Keys that only the REST binding reads: given with `dir`, they are a mistake worth naming.
    static let restKeys = ["client-id", "client-secret", "token-url", "client-auth", "scope", "limit", "delta"]

    /// `secrets` false when only plain values are there (at add/set): the client secret is then not checked.
    init(config: PluginConfig, secrets: Bool) throws {
        let dir = config["dir"].flatMap { $0.isEmpty ? nil : $0 }
        let url = config["url"].flatMap { $0.isEmpty ? nil : $0 }
        switch (dir, url) {
        case (nil, nil):
            throw PluginError.permanent("oneroster: set either 'dir' (a CSV bundle folder) or 'url' (the REST binding's base URL)")
        case (.some, .some):
            throw PluginError.permanent("oneroster: 'dir' and 'url' are both set: a connector reads a CSV bundle or the REST binding, not both")
        case (let dir?, nil):
            if let key = Self.restKeys.first(where: { config[$0] != nil }) {
                throw OneRosterError.config(key, "applies to the REST binding ('url') only, not to a bundle ('dir')")
            }
            let folder = URL(fileURLWithPath: dir, isDirectory: true)
            _ = try BundleManifest(directory: folder)
            source = .bundle(folder)
        case (nil, let url?):
            source = .rest(try RESTSettings(url: url, config: config, secrets: secrets))
        }
        mapping = RosterMapping(
            school: config["school"].flatMap { $0.isEmpty ? nil : $0 }, grades: try GradeMap(config: config["grade-map"]),
            upn: try UPNSource(config: config["upn"]), staffRoles: try Self.staffRoles(config["staff-roles"]))
    }

    static func staffRoles(_ text: String?) throws -> Set<String> {
        let roles = Set((text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        guard !roles.isEmpty else { return ["teacher"] }
        let allowed: Set<String> = ["teacher", "administrator", "aide", "proctor"]
        if let bad = roles.subtracting(allowed).sorted().first {
            throw OneRosterError.config("staff-roles", "names '\(bad)', which is not a staff role (teacher, administrator, aide, proctor)")
        }
        return roles
    }

    /// An http or https URL with a host, or an error naming `key`.
    static func webURL(_ text: String, key: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host?.isEmpty == false
        else {
            throw OneRosterError.config(key, "is '\(text)', which is not an http:// or https:// URL")
        }
        return url
    }
}
