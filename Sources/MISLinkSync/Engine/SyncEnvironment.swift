import Foundation
import MISLinkKit
import MISLinkRunner
import SQLiteDB

/// What the sync handlers share: the database file, the plugins, and the clock and environment they
/// read (injected so that tests can pin "today" and secrets).
public struct SyncEnvironment: Sendable {
    public let databasePath: String
    public let connection: ConnectionConfiguration
    public let plugins: PluginRegistry
    public let policies: PolicySet
    /// Where `env:` secrets are read from.
    public var environment: [String: String]
    /// Today's date where the school is.
    public var today: @Sendable (_ timeZone: String) -> CalendarDate

    public init(
        databasePath: String, connection: ConnectionConfiguration = ConnectionConfiguration(), plugins: PluginRegistry,
        policies: PolicySet = PolicySet(catalog: JobKinds.catalog), environment: [String: String] = ProcessInfo.processInfo.environment,
        today: @escaping @Sendable (_ timeZone: String) -> CalendarDate = SyncEnvironment.calendarToday
    ) {
        self.databasePath = databasePath
        self.connection = connection
        self.plugins = plugins
        self.policies = policies
        self.environment = environment
        self.today = today
    }

    /// The date now in the given zone.
    @Sendable public static func calendarToday(_ timeZone: String) -> CalendarDate {
        CalendarDate.local(Date(), in: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/London")!)
    }

    /// A fresh store on its own connection, used on the caller's thread (admin commands).
    func openStore() throws -> IntegrationStore {
        try IntegrationStore(location: databasePath, configuration: connection)  // the store marks it as the queue's
    }

    /// A job's store: its own connection, used on a serial queue off the cooperative pool.
    func jobStore() -> SyncStoreActor {
        SyncStoreActor(path: databasePath, configuration: connection)
    }
}

/// An integration's connector and target, made from its config with its secrets resolved.
struct PluginSession: Sendable {
    let connector: any Connector
    let target: any Target

    /// Resolves secrets now (they are declared to the job's scrubber first, so no error or log line
    /// can carry them) and makes both plugins.
    static func open(_ integration: Integration, environment: SyncEnvironment, context: JobContext?) throws -> PluginSession {
        var secrets: [String: String] = [:]
        for (key, reference) in integration.secrets {
            do {
                secrets[key] = try reference.resolve(environment: environment.environment)
            } catch {
                throw PluginError.permanent("integration '\(integration.id)': \(error.message)")
            }
        }
        context?.declareSecrets(Array(secrets.values))
        func config(_ role: RoleKeys.Role) -> PluginConfig {
            PluginConfig(values: RoleKeys.view(integration.config, for: role), secrets: RoleKeys.view(secrets, for: role))
        }
        guard let connectorPlugin = environment.plugins.connector(integration.connector) else {
            throw PluginError.permanent("integration '\(integration.id)': no connector plugin '\(integration.connector)' in this build")
        }
        guard let targetPlugin = environment.plugins.target(integration.target) else {
            throw PluginError.permanent("integration '\(integration.id)': no target plugin '\(integration.target)' in this build")
        }
        return PluginSession(
            connector: try connectorPlugin.makeConnector(config: config(.connector)),
            target: try targetPlugin.makeTarget(config: config(.target)))
    }
}
