import MISLinkKit
import MISLinkRunner

/// Checks an integration's plugin configuration, at `add` and at every `set` that changes it:
/// against both plugins' manifests (known keys, required keys, secrets kept as references), against
/// the queue's own file (a plugin may never write there), then through each plugin's own
/// `validate(config:)` hook.
struct ConfigValidator {
    let plugins: PluginRegistry
    let queuePath: String

    func check(_ integration: Integration) throws(SyncError) {
        guard let connector = plugins.connector(integration.connector) else {
            throw SyncError(.invalidInput, "there is no connector plugin '\(integration.connector)' (see 'mislink plugins')")
        }
        guard let target = plugins.target(integration.target) else {
            throw SyncError(.invalidInput, "there is no target plugin '\(integration.target)' (see 'mislink plugins')")
        }
        try checkKeys(integration, connector: connector.manifest, target: target.manifest)
        try checkQueueFile(integration)
        try hook(connector.manifest.id) {
            try connector.validate(config: PluginConfig(values: RoleKeys.view(integration.config, for: .connector)))
        }
        try hook(target.manifest.id) {
            try target.validate(config: PluginConfig(values: RoleKeys.view(integration.config, for: .target)))
        }
    }

    /// Every key is one a plugin takes: a plain key one of them declares (both: ambiguous, so
    /// refused), or `connector.KEY`/`target.KEY` for a key that plugin declares. Secrets are kept
    /// as references; each plugin's required keys are there, plain or prefixed.
    private func checkKeys(_ integration: Integration, connector: PluginManifest, target: PluginManifest) throws(SyncError) {
        let manifests: [(RoleKeys.Role, PluginManifest)] = [(.connector, connector), (.target, target)]
        let known = (connector.configKeys + target.configKeys).map(\.name).joined(separator: ", ")
        func declared(_ key: String, what: String) throws(SyncError) -> ConfigKey {
            if let (role, name) = RoleKeys.split(key) {
                let manifest = role == .connector ? connector : target
                guard let found = manifest.configKeys.first(where: { $0.names.contains(name) }) else {
                    throw SyncError(
                        .invalidInput,
                        "\(what) '\(key)': the \(role.rawValue) '\(manifest.id)' takes no key '\(name)' (it takes: \(manifest.configKeys.map(\.name).joined(separator: ", ")))")
                }
                return found
            }
            let owners = manifests.compactMap { role, manifest in
                manifest.configKeys.first { $0.names.contains(key) }.map { (role, manifest, $0) }
            }
            guard let first = owners.first else {
                throw SyncError(.invalidInput, "\(what) '\(key)' is not one the plugins take (they take: \(known))")
            }
            if owners.count > 1 {
                throw SyncError(
                    .invalidInput,
                    "\(what) '\(key)' is a key of both the connector '\(connector.id)' and the target '\(target.id)': "
                        + "say which, as connector.\(key) or target.\(key)")
            }
            return first.2
        }
        for key in integration.config.keys.sorted() {
            if try declared(key, what: "configuration key").secret {
                throw SyncError(
                    .invalidInput,
                    "'\(key)' is a secret: give where it lives (\(key)=env:VARIABLE or \(key)=file:PATH as a secret), never its value")
            }
        }
        for key in integration.secrets.keys.sorted() {
            _ = try declared(key, what: "secret key")
            if integration.config[key] != nil {
                throw SyncError(.invalidInput, "'\(key)' is given both as a configuration value and as a secret")
            }
        }
        for (role, manifest) in manifests {
            let values = RoleKeys.view(integration.config, for: role)
            let secrets = RoleKeys.view(integration.secrets, for: role)
            if let missing = manifest.configKeys.first(where: { key in
                key.required && !key.names.contains { values[$0] != nil || secrets[$0] != nil }
            }) {
                throw SyncError(
                    .invalidInput, "the \(missing.secret ? "secret" : "configuration key") '\(missing.name)' is required (\(missing.summary))")
            }
        }
    }

    /// A plugin file pointed at the queue would have the plugin create tables in it or switch its
    /// journal: refused, by real path, for every plain value and every `file:` secret.
    private func checkQueueFile(_ integration: Integration) throws(SyncError) {
        var paths = integration.config.map { (key: $0.key, path: $0.value, what: "configuration key") }
        for (key, reference) in integration.secrets {
            if case .file(let path) = reference { paths.append((key, path, "secret")) }
        }
        for entry in paths.sorted(by: { $0.key < $1.key }) where QueueFile.names(entry.path, queue: queuePath) {
            throw SyncError(
                .invalidInput,
                "\(entry.what) '\(entry.key)' names the queue database \(queuePath) (or its -wal/-shm file): a plugin's files must be its own")
        }
    }

    private func hook(_ plugin: String, _ body: () throws -> Void) throws(SyncError) {
        do { try body() } catch let error as PluginError {
            throw SyncError(.invalidInput, "plugin '\(plugin)' refused the configuration: \(error.message)")
        } catch {
            throw SyncError(.invalidInput, "plugin '\(plugin)' refused the configuration: \(error)")
        }
    }
}
