import Foundation
import MISLinkKit

/// The plugins folder (`--plugins-dir`, `$MISLINK_PLUGINS`, default `./plugins`): every
/// `manifest.json` one level down (`plugins/NAME/manifest.json`) and every `*.json` in the folder.
public struct ExecPluginFolder: Sendable {
    public let connectors: [ExecConnectorPlugin]
    public let targets: [ExecTargetPlugin]
    /// Manifests that were refused, each naming its file and the reason.
    public let refused: [ExecManifestError]

    /// A missing folder holds no plugins (the default folder usually does not exist).
    public init(path: String) {
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        var connectors: [ExecConnectorPlugin] = []
        var targets: [ExecTargetPlugin] = []
        var refused: [ExecManifestError] = []
        var ids: [String: String] = [:]
        for file in Self.manifestFiles(in: folder) {
            do {
                let manifest = try ExecManifest(contentsOf: file)
                if let earlier = ids.updateValue(file.path, forKey: manifest.manifest.id) {
                    throw ExecManifestError(file: file.path, reason: "id '\(manifest.manifest.id)' is already taken by \(earlier)")
                }
                switch manifest.manifest.role {
                case .connector: connectors.append(ExecConnectorPlugin(manifest))
                case .target: targets.append(ExecTargetPlugin(manifest))
                }
            } catch {
                refused.append(error as? ExecManifestError ?? ExecManifestError(file: file.path, reason: "\(error)"))
            }
        }
        self.connectors = connectors
        self.targets = targets
        self.refused = refused
    }

    static func manifestFiles(in folder: URL) -> [URL] {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: folder.path) else { return [] }
        var files: [URL] = []
        for name in entries.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                let manifest = url.appendingPathComponent("manifest.json")
                if manager.fileExists(atPath: manifest.path) { files.append(manifest) }
            } else if name.hasSuffix(".json") {
                files.append(url)
            }
        }
        return files
    }
}
