import MISLinkKit

/// An integration's connector and target share one set of config keys and secrets. Where both
/// plugins take a key of one name (`url`, `token`), it is given for one of them with the role
/// before it: `connector.url`, `target.token`. Each plugin sees its own prefixed keys without the
/// prefix, over the plain ones; a plain key that both plugins declare is refused as ambiguous
/// (`ConfigValidator`), so a connector's token can never reach the target's server.
enum RoleKeys {
    enum Role: String, CaseIterable {
        case connector, target
    }

    /// The entries `role`'s plugin sees: plain keys, and its own prefixed keys over them.
    static func view<Value>(_ entries: [String: Value], for role: Role) -> [String: Value] {
        var seen: [String: Value] = [:]
        for (key, value) in entries where split(key) == nil { seen[key] = value }
        for (key, value) in entries {
            if let (keyRole, name) = split(key), keyRole == role { seen[name] = value }
        }
        return seen
    }

    /// `connector.url` → (.connector, "url"); nil for a plain key.
    static func split(_ key: String) -> (Role, String)? {
        for role in Role.allCases where key.hasPrefix(role.rawValue + ".") {
            let name = String(key.dropFirst(role.rawValue.count + 1))
            return name.isEmpty ? nil : (role, name)
        }
        return nil
    }
}
