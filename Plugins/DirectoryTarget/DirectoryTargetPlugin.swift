import MISLinkKit

/// The `directory` target plugin: a people directory of the kind a library or visitor-sign-in
/// system keeps, in its own SQLite file. The reference target.
public struct DirectoryTargetPlugin: TargetPlugin {
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(
            id: "directory",
            role: .target,
            version: "1.0.0",
            summary: "A people directory (library, visitor sign-in) kept in its own SQLite file",
            configKeys: [ConfigKey("db", summary: "path of the directory's SQLite file (created if missing)")])
    }

    /// A target over the file in `db`. The file is opened on the first call, not here.
    public func makeTarget(config: PluginConfig) throws -> any Target {
        DirectoryTarget(store: DirectoryStore(path: try config.require("db", plugin: "directory")))
    }
}
