import Foundation

import MISLinkKit

/// The connector's messages, each naming the plugin and the place: a file and line of the bundle,
/// or the configuration key.
enum OneRosterError {
    /// Bad data in a bundle file: nothing is read. Without a line, `reason` follows the file name ("users.csv is missing").
    static func bundle(_ file: String, line: Int? = nil, _ reason: String) -> PluginError {
        guard let line else { return .permanent("oneroster: \(file) \(reason); nothing was read") }
        return .permanent("oneroster: \(file) line \(line): \(reason); nothing was read")
    }

    /// A configuration value that cannot work.
    static func config(_ key: String, _ reason: String) -> PluginError {
        .permanent("oneroster: configuration key '\(key)' \(reason)")
    }
}
