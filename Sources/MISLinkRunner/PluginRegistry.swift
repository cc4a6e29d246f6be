import MISLinkKit
import Synchronization

/// A plugin the registry would not take, and why.
public struct PluginRegistrationError: Error, CustomStringConvertible, Sendable, Equatable {
    public let pluginID: String
    public let reason: String
    public var description: String { "plugin '\(pluginID)' refused: \(reason)" }
}

/// The connector and target plugins of this build, by id.
///
/// A plugin built against another major version of the kit is refused with a clear error; a second
/// plugin with an id already taken is a programming error.
public final class PluginRegistry: Sendable {
    private let connectors = Mutex<[String: any ConnectorPlugin]>([:])
    private let targets = Mutex<[String: any TargetPlugin]>([:])
    public let kitVersion: KitVersion

    public init(kitVersion: KitVersion = .current) {
        self.kitVersion = kitVersion
    }

    public func register(connector plugin: any ConnectorPlugin) throws {
        try check(plugin.manifest, role: .connector)
        connectors.withLock { plugins in
            precondition(plugins[plugin.manifest.id] == nil, "connector plugin '\(plugin.manifest.id)' is registered twice")
            plugins[plugin.manifest.id] = plugin
        }
    }

    public func register(target plugin: any TargetPlugin) throws {
        try check(plugin.manifest, role: .target)
        targets.withLock { plugins in
            precondition(plugins[plugin.manifest.id] == nil, "target plugin '\(plugin.manifest.id)' is registered twice")
            plugins[plugin.manifest.id] = plugin
        }
    }

    private func check(_ manifest: PluginManifest, role: PluginRole) throws {
        if manifest.role != role {
            throw PluginRegistrationError(pluginID: manifest.id, reason: "its manifest says it is a \(manifest.role.rawValue), not a \(role.rawValue)")
        }
        if let problem = manifest.kitVersion.incompatibility(with: kitVersion) {
            throw PluginRegistrationError(pluginID: manifest.id, reason: problem)
        }
    }

    public func connector(_ id: String) -> (any ConnectorPlugin)? { connectors.withLock { $0[id] } }
    public func target(_ id: String) -> (any TargetPlugin)? { targets.withLock { $0[id] } }

    /// Every manifest, connectors first, each group by id.
    public var manifests: [PluginManifest] {
        let c = connectors.withLock { $0.values.map(\.manifest) }.sorted { $0.id < $1.id }
        let t = targets.withLock { $0.values.map(\.manifest) }.sorted { $0.id < $1.id }
        return c + t
    }
}
