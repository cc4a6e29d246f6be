import Foundation
import MISLinkKit

/// The `wonde` connector: one school through the Wonde API.
public struct WondeConnectorPlugin: ConnectorPlugin {
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(
            id: "wonde", role: .connector, version: "1.0.0",
            summary: "Reads students, leavers, staff, pre-admissions and contacts from Wonde (deltas by updated_after "
                + "and deletions); writes session attendance back",
            configKeys: WondeSettings.keys)
    }

    public func makeConnector(config: PluginConfig) throws -> any Connector {
        WondeConnector(settings: try WondeSettings(config: config), token: try config.require("token", plugin: "wonde"))
    }

    /// Checked at `integration add` and `set` (kit 1.1): every plain key, so a typo in a region, a
    /// page size or a folder is refused then, not found by the first import.
    public func validate(config: PluginConfig) throws {
        _ = try WondeSettings(config: config)
    }
}
