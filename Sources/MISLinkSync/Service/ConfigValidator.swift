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
        let keys = connector.manifest.configKeys + target.manifest.configKeys
        let known = keys.map(\.name).joined(separator: ", ")
        for key in integration.config.keys.sorted() {
            guard let declared = keys.first(where: { $0.name == key }) else {
                throw SyncError(.invalidInput, "configuration key '\(key)' is not one the plugins take (they take: \(known))")
            }
            if declared.secret {
                throw SyncError(
                    .invalidInput,
                    "'\(key)' is a secret: give where it lives (\(key)=env:VARIABLE or \(key)=file:PATH as a secret), never its value")
            }
        }
        for key in integration.secrets.keys.sorted() {
            guard keys.contains(where: { $0.name == key }) else {
                throw SyncError(.invalidInput, "secret key '\(key)' is not one the plugins take (they take: \(known))")
            }
            if integration.config[key] != nil {
                throw SyncError(.invalidInput, "'\(key)' is given both as a configuration value and as a secret")
            }
        }
        if let missing = keys.first(where: { $0.required && integration.config[$0.name] == nil && integration.secrets[$0.name] == nil }) {
            throw SyncError(.invalidInput, "the \(missing.secret ? "secret" : "configuration key") '\(missing.name)' is required (\(missing.summary))")
        }
        try checkQueueFile(integration)
        let config = PluginConfig(values: integration.config)
        try hook(connector.manifest.id) { try connector.validate(config: config) }
        try hook(target.manifest.id) { try target.validate(config: config) }
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
