import Foundation
import MISLinkExec
import MISLinkKit
import MISLinkRunner

/// `mislink plugins`.
enum PluginsCommand {
    static let command = Command(
        "plugins", summary: "the connector and target plugins: built in, and in the plugins folder",
        details: """
            The connector (MIS side) and target (other system) plugins built into this mislink, and the
            process plugins (any language) whose manifests are in the plugins folder (--plugins-dir,
            $MISLINK_PLUGINS, default ./plugins), with the version each was built for and the
            configuration keys it needs (secret keys marked). A manifest that is malformed, or built for
            another major protocol version, is listed as refused with its file and the reason, and the
            command exits 1.
            """, run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let registry = try BuiltInPlugins.registry(pluginsDirectory: context.pluginsDirectory)
        let folder = ExecPluginFolder(path: context.pluginsDirectory)
        var sources: [String: String] = [:]
        for plugin in folder.connectors { sources["connector:" + plugin.manifest.id] = plugin.exec.file.path }
        for plugin in folder.targets { sources["target:" + plugin.manifest.id] = plugin.exec.file.path }
        var refused = folder.refused.map { ["file": $0.file, "reason": $0.reason] }
        for (key, file) in sources.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            let taken = parts[0] == "connector" ? registry.connector(parts[1]) : registry.target(parts[1])
            if let taken, !(taken is ExecConnectorPlugin || taken is ExecTargetPlugin) {
                refused.append(["file": file, "reason": "id '\(parts[1])' is a built-in plugin's"])
                sources[key] = nil
            }
        }
        let manifests = registry.manifests
        func source(_ manifest: PluginManifest) -> String { sources[manifest.role.rawValue + ":" + manifest.id] ?? "built-in" }
        func version(_ manifest: PluginManifest) -> String {
            source(manifest) == "built-in" ? "kit \(manifest.kitVersion)" : "protocol \(ExecProtocol.version.major).x"
        }
        if context.json {
            context.printJSON([
                "kitVersion": registry.kitVersion.description,
                "protocolVersion": ExecProtocol.version.description,
                "pluginsDir": context.pluginsDirectory,
                "plugins": manifests.map { manifest in
                    [
                        "id": manifest.id, "role": manifest.role.rawValue, "version": manifest.version,
                        "kitVersion": manifest.kitVersion.description, "summary": manifest.summary, "source": source(manifest),
                        "configKeys": manifest.configKeys.map {
                            ["name": $0.name, "summary": $0.summary, "secret": $0.secret, "required": $0.required, "aliases": $0.aliases ?? []]
                                as [String: Any]
                        },
                    ] as [String: Any]
                },
                "refused": refused,
            ])
            return refused.isEmpty ? 0 : 1
        }
        print("plugin kit \(registry.kitVersion), plugin protocol \(ExecProtocol.version) (plugins folder \(context.pluginsDirectory))")
        print(Output.table(
            ["ID", "ROLE", "VERSION", "BUILT FOR", "SOURCE", "CONFIG KEYS", "SUMMARY"],
            manifests.map { manifest in
                [manifest.id, manifest.role.rawValue, manifest.version, version(manifest), source(manifest),
                 manifest.configKeys.map {
                     $0.name + ($0.aliases.map { " (or " + $0.joined(separator: ", ") + ")" } ?? "") + ($0.secret ? " (secret)" : "")
                         + ($0.required ? "" : "?")
                 }.joined(separator: ", "),
                 manifest.summary]
            }))
        for refusal in refused {
            Output.error("plugin manifest \(refusal["file"] ?? "") refused: \(refusal["reason"] ?? "")")
        }
        return refused.isEmpty ? 0 : 1
    }
}
