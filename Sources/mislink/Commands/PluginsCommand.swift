import Foundation
import MISLinkKit
import MISLinkRunner

/// `mislink plugins`.
enum PluginsCommand {
    static let command = Command(
        "plugins", summary: "the connector and target plugins in this build",
        details: """
            The connector (MIS side) and target (other system) plugins built into this mislink, with the
            plugin-kit version each was built for and the configuration keys it needs (secret keys marked).
            """, run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let registry = try BuiltInPlugins.registry()
        let manifests = registry.manifests
        if context.json {
            context.printJSON([
                "kitVersion": registry.kitVersion.description,
                "plugins": manifests.map { manifest in
                    [
                        "id": manifest.id, "role": manifest.role.rawValue, "version": manifest.version,
                        "kitVersion": manifest.kitVersion.description, "summary": manifest.summary,
                        "configKeys": manifest.configKeys.map {
                            ["name": $0.name, "summary": $0.summary, "secret": $0.secret, "required": $0.required] as [String: Any]
                        },
                    ] as [String: Any]
                },
            ])
            return 0
        }
        print("plugin kit \(registry.kitVersion)")
        print(Output.table(
            ["ID", "ROLE", "VERSION", "KIT", "CONFIG KEYS", "SUMMARY"],
            manifests.map { manifest in
                [manifest.id, manifest.role.rawValue, manifest.version, manifest.kitVersion.description,
                 manifest.configKeys.map { $0.name + ($0.secret ? " (secret)" : "") + ($0.required ? "" : "?") }.joined(separator: ", "),
                 manifest.summary]
            }))
        return 0
    }
}
