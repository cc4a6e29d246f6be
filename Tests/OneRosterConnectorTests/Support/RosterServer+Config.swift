import MISLinkKit
import MISLinkTestSupport

extension RosterServer {
    /// The connector's configuration for this server (the secret as a resolved secret).
    func config(_ extra: [String: String] = [:]) -> PluginConfig {
        PluginConfig(values: ["url": url, "client-id": Self.clientID].merging(extra) { $1 }, secrets: ["client-secret": secret])
    }
}
