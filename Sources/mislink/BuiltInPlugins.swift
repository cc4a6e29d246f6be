import CSVConnector
import DirectoryTarget
import MISLinkRunner
import OneRosterConnector
import SCIMTarget
import WondeConnector

/// The plugins compiled into this binary.
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
}
