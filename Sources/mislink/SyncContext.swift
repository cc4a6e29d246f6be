import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkRunner
import MISLinkSync
import PostgresDB
import SQLiteDB

extension CLIContext {
    /// What the service layer needs in this process, over the queue's database on either back end
    /// (a PostgreSQL URL is passed whole, password included, and never printed). `policies` is nil
    /// for commands that only read the queue, so that a bad policy file stops only the commands that
    /// use policies.
    func syncEnvironment(policies: PolicySet? = nil) throws -> SyncEnvironment {
        let location = switch database {
        case .sqlite(let path): path
        case .postgres(let url): url.connectionString
        }
        return SyncEnvironment(
            databasePath: location, connection: connectionConfiguration,
            plugins: try BuiltInPlugins.registry(pluginsDirectory: pluginsDirectory), policies: try policies ?? loadPolicies(),
            environment: environment)
    }

    /// The job admin service; `withPolicies: false` for reads, which do not need jobs/.
    func jobAdmin(withPolicies: Bool = true) throws -> JobAdmin {
        JobAdmin(environment: try syncEnvironment(policies: withPolicies ? nil : PolicySet()))
    }

    /// The integration service.
    func integrationService(withPolicies: Bool = true) throws -> IntegrationService {
        IntegrationService(environment: try syncEnvironment(policies: withPolicies ? nil : PolicySet()))
    }
}

extension SyncError {
    /// Bad input and refusals are exit 2; not-found and failures exit 1.
    var cliError: CLIError {
        switch code {
        case .invalidInput, .refused: CLIError.usage(message)
        case .notFound, .conflict, .failed: CLIError.failure(message)
        }
    }
}

/// Runs async plugin work (target list, restore, changes report) from a command.
func pluginOperation<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    switch BlockingTask.run(body) {
    case .success(let value): return value
    case .failure(let error as PluginError): throw CLIError.failure(error.message)
    case .failure(let error as SyncError): throw error.cliError
    case .failure(let error): throw CLIError.failure("\(error)")
    }
}
