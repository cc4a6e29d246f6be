/// A new integration as an admin describes it: which plugins, their configuration, and where each
/// secret lives (`env:VAR` or `file:PATH`, never the value).
public struct IntegrationDraft: Sendable, Equatable {
    public var id: String
    public var connector: String
    public var target: String
    public var config: [String: String]
    /// Secret keys and the text of their reference.
    public var secrets: [String: String]

    public init(id: String, connector: String, target: String, config: [String: String] = [:], secrets: [String: String] = [:]) {
        self.id = id
        self.connector = connector
        self.target = target
        self.config = config
        self.secrets = secrets
    }
}
