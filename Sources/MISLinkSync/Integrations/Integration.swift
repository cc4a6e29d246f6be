import MISLinkRunner

/// An MIS integration: one connector, one target, their configuration, its status and settings.
public struct Integration: Sendable, Equatable {
    public var id: String
    public var connector: String
    public var target: String
    public var status: IntegrationStatus
    /// Why it is in `error`, when it is.
    public var errorReason: String?
    /// Plain configuration values by key.
    public var config: [String: String]
    /// Secret configuration keys and where their values live.
    public var secrets: [String: SecretReference]
    public var settings: IntegrationSettings
    public var absenceSync: Bool
    public var contractSync: Bool
    public var staffSync: Bool
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, connector: String, target: String, now: Int64) {
        self.id = id
        self.connector = connector
        self.target = target
        self.status = .pending
        self.errorReason = nil
        self.config = [:]
        self.secrets = [:]
        self.settings = IntegrationSettings()
        self.absenceSync = true
        self.contractSync = true
        self.staffSync = true
        self.createdAt = now
        self.updatedAt = now
    }

    /// Integration ids: what scripts type, so short and plain.
    public static func isValidID(_ id: String) -> Bool { PlainName.isValid(id) }
}
