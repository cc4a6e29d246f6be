/// Whether a plugin reads the MIS or writes to another system.
public enum PluginRole: String, Sendable, Codable {
    case connector, target
}

/// A configuration key a plugin needs.
public struct ConfigKey: Sendable, Codable, Equatable {
    public let name: String
    public let summary: String
    /// Secret keys (passwords, tokens) are stored apart and never printed, logged or put in a payload.
    public let secret: Bool
    public let required: Bool
    /// Other names the same key is also given by (an earlier name, kept working); nil for none.
    /// Additive in kit 1.3: a manifest without it has none.
    public let aliases: [String]?

    public init(_ name: String, summary: String, secret: Bool = false, required: Bool = true, aliases: [String] = []) {
        self.name = name
        self.summary = summary
        self.secret = secret
        self.required = required
        self.aliases = aliases.isEmpty ? nil : aliases
    }

    /// The name, then its aliases.
    public var names: [String] { [name] + (aliases ?? []) }
}

/// Who a plugin is and what it needs: shown by `mislink plugins`, checked by the registry.
public struct PluginManifest: Sendable, Codable, Equatable {
    /// Short, stable id used on the command line (`csv`, `directory`, `wonde`).
    public let id: String
    public let role: PluginRole
    /// The plugin's own version.
    public let version: String
    /// The kit version the plugin was built against; the registry refuses another major version.
    public let kitVersion: KitVersion
    public let summary: String
    public let configKeys: [ConfigKey]

    public init(
        id: String, role: PluginRole, version: String, kitVersion: KitVersion = .current, summary: String,
        configKeys: [ConfigKey]
    ) {
        self.id = id
        self.role = role
        self.version = version
        self.kitVersion = kitVersion
        self.summary = summary
        self.configKeys = configKeys
    }
}
