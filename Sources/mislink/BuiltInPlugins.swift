import CSVConnector
import DirectoryTarget
import MISLinkExec
import MISLinkKit
import MISLinkRunner
import OneRosterConnector
import SCIMTarget
import WondeConnector

/// The plugins compiled into this binary, and those in the plugins folder.
enum BuiltInPlugins {
    static func registry() throws -> PluginRegistry {
        let registry = PluginRegistry()
        try registry.register(connector: CSVConnectorPlugin())
        try registry.register(target: DirectoryTargetPlugin())
        try registry.register(connector: WondeConnectorPlugin())
        try registry.register(connector: OneRosterConnectorPlugin())
        try registry.register(target: SCIMTargetPlugin())
        return registry
    }

    /// The built-in plugins plus the process plugins in `pluginsDirectory`. A manifest that is
    /// refused, or whose id a built-in plugin has, is left out here; `mislink plugins` names it.
    static func registry(pluginsDirectory: String) throws -> PluginRegistry {
        let registry = try registry()
        let folder = ExecPluginFolder(path: pluginsDirectory)
        for plugin in folder.connectors where registry.connector(plugin.manifest.id) == nil {
            try? registry.register(connector: plugin)
        }
        for plugin in folder.targets where registry.target(plugin.manifest.id) == nil {
            try? registry.register(target: plugin)
        }
        return registry
    }
}
