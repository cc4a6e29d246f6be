import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// Every admin action on integrations, with its rules: adding and configuring (checked against the
/// plugins), the switches of the state table, go-live and removal. Each check commits with its
/// write. The command line and the console call this and only print what it answers.
public struct IntegrationService: Sendable {
    public let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    private var validator: ConfigValidator {
        ConfigValidator(plugins: environment.plugins, queuePath: environment.databasePath)
    }

    // MARK: - Reading

    public func integrations() throws(SyncError) -> [Integration] {
        try read { try $0.integrations() }
    }

    public func integration(_ id: String) throws(SyncError) -> Integration {
        try read { try $0.require(id) }
    }

    // MARK: - Adding and configuring

    /// A new integration, Pending, its nightly time taken from the nightly-import policy's schedule.
    public func add(_ draft: IntegrationDraft, now: Int64 = JobStore.now()) throws(SyncError) -> Integration {
        guard Integration.isValidID(draft.id) else {
            throw SyncError(.invalidInput, "'\(draft.id)' is not an integration id: letters, digits, '-' or '_'")
        }
        var integration = Integration(id: draft.id, connector: draft.connector, target: draft.target, now: now)
        if let schedule = environment.policies.policy(for: JobKinds.nightlyImport)?.schedule {
            integration.settings.nightlyAt = schedule.timeText
            integration.settings.timeZone = schedule.timeZone
        }
        integration.config = draft.config
        for (key, text) in draft.secrets { integration.secrets[key] = try Self.secret(key, text) }
        try validator.check(integration)
        try write { store in try store.add(integration) }
        return integration
    }

    /// Applies settings and configuration changes together; a change to the plugins' configuration
    /// is checked as `add` checks it. Nothing is removed but what an edit names.
    public func set(_ id: String, _ edits: [IntegrationEdit], now: Int64 = JobStore.now()) throws(SyncError) -> Integration {
        guard !edits.isEmpty else { throw SyncError(.invalidInput, "integration set needs at least one change") }
        return try write { store in
            var integration = try store.require(id)
            for edit in edits {
                switch edit {
                case .setting(let key, let value):
                    try integration.settings.set(key, value)
                case .config(let key, let value):
                    integration.config[key] = value.isEmpty ? nil : value
                    integration.secrets[key] = nil
                case .secret(let key, let text):
                    integration.secrets[key] = try Self.secret(key, text)
                    integration.config[key] = nil
                }
            }
            if edits.contains(where: \.touchesPlugins) { try validator.check(integration) }
            integration.updatedAt = now
            try store.save(integration)
            return integration
        }
    }

    /// A secret's reference; the error names the key (never echoes what was given: it may be the value).
    private static func secret(_ key: String, _ text: String) throws(SyncError) -> SecretReference {
        do { return try SecretReference(parsing: text) } catch {
            throw SyncError(error.code, "secret '\(key)': \(error.message)")
        }
    }

    // MARK: - The state table's switches

    /// `integration on|off`: allowed as the state table says; clears an error reason.
    public func turn(_ id: String, on: Bool, now: Int64 = JobStore.now()) throws(SyncError) -> Integration {
        try act(id, .turnIntegrationOnOff, now: now) { integration in
            integration.status = on ? .on : .off
            integration.errorReason = nil
        }
    }

    /// Absence, contract or staff sync on or off.
    public func setSync(_ id: String, _ action: IntegrationAction, on: Bool, now: Int64 = JobStore.now()) throws(SyncError)
        -> Integration
    {
        try act(id, action, now: now) { integration in
            switch action {
            case .absenceSync: integration.absenceSync = on
            case .contractSync: integration.contractSync = on
            case .staffSync: integration.staffSync = on
            default: break
            }
        }
    }

    private func act(_ id: String, _ action: IntegrationAction, now: Int64, _ change: (inout Integration) -> Void)
        throws(SyncError) -> Integration
    {
        try write { store in
            var integration = try store.require(id)
            try StateTable.check(action, integration: id, status: integration.status)
            change(&integration)
            integration.updatedAt = now
            try store.save(integration)
            return integration
        }
    }

    /// Enqueues the initial upload of a Ready integration; it turns the integration On when it
    /// succeeds. A second go-live, or an `enqueue initial-upload`, while it is pending answers the
    /// pending job (`inserted` false) rather than a second upload.
    public func goLive(_ id: String, now: Int64 = JobStore.now()) throws(SyncError) -> EnqueueResult {
        let policy = environment.policies.policy(for: JobKinds.initialUpload) ?? JobKinds.defaultPolicies[JobKinds.initialUpload]!
        return try write(database: { database in
            let integration = try database.store.require(id)
            guard IntegrationActions.allows(.goLive, in: integration.status) else {
                throw SyncError(
                    .refused, "integration '\(id)' is \(integration.status.title): go-live needs it Ready (run the setup wizard first)")
            }
            let job = JobFactory.newJob(kind: JobKinds.initialUpload, integration: id, payload: JobFactory.emptyPayload, policy: policy)
            return try JobAdmin.checkedInsert(job, database: database, now: now)
        })
    }

    /// Deletes the integration and all its sync information, as the state table allows. It cannot be
    /// undone, so it needs `confirmed`.
    public func remove(_ id: String, confirmed: Bool) throws(SyncError) -> RemovalCounts {
        guard confirmed else {
            _ = try integration(id)
            throw SyncError(
                .refused,
                "removing '\(id)' deletes all its sync information (links, stored ids, matches, intake, exclusions, import history) and cannot be undone; confirm with --yes")
        }
        return try write { store in
            let integration = try store.require(id)
            try StateTable.check(.remove, integration: id, status: integration.status)
            return try store.remove(id)
        }
    }

    // MARK: - The database

    func read<T>(_ body: (IntegrationStore) throws -> T) throws(SyncError) -> T {
        let database = try SyncDatabase(environment, access: .read)
        do { return try body(database.store) } catch { throw SyncError.wrap(error) }
    }

    private func write<T>(_ body: (IntegrationStore) throws -> T) throws(SyncError) -> T {
        try write(database: { try body($0.store) })
    }

    func write<T>(database body: (SyncDatabase) throws -> T) throws(SyncError) -> T {
        let database = try SyncDatabase(environment, access: .write)
        do { return try database.write { try body(database) } } catch { throw SyncError.wrap(error) }
    }
}
