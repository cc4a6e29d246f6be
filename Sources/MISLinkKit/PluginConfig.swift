/// The configuration an integration hands its plugin: plain values and resolved secrets.
///
/// Its `description` shows secret keys as `(set)`, never their values, so a config that ends up in
/// a log line or an error message leaks nothing.
public struct PluginConfig: Sendable, Equatable, CustomStringConvertible {
    public let values: [String: String]
    private let secrets: [String: String]

    public init(values: [String: String] = [:], secrets: [String: String] = [:]) {
        self.values = values
        self.secrets = secrets
    }

    /// A plain or secret value, or nil.
    public subscript(key: String) -> String? { values[key] ?? secrets[key] }

    /// The value, or a permanent error naming the missing key.
    public func require(_ key: String, plugin: String) throws -> String {
        guard let value = self[key], !value.isEmpty else {
            throw PluginError.permanent("\(plugin): configuration key '\(key)' is not set")
        }
        return value
    }

    /// Every secret value, so that the runner can scrub them from any message before it is kept.
    public var secretValues: [String] { Array(secrets.values).filter { !$0.isEmpty } }

    public var description: String {
        let plain = values.keys.sorted().map { "\($0)=\(values[$0]!)" }
        let hidden = secrets.keys.sorted().map { "\($0)=(set)" }
        return (plain + hidden).joined(separator: " ")
    }
}
