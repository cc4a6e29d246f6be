import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB

extension CLIContext {
    /// The integration store on the queue's database file (the queue schema is created too, so that
    /// bookkeeping and jobs always share one file).
    func openSyncStore() throws(CLIError) -> (jobs: JobStore, sync: IntegrationStore) {
        let jobs = try openStore()
        do {
            return (jobs, try IntegrationStore(connection: jobs.connection))
        } catch {
            throw CLIError.failure("cannot open the sync tables in \(databasePath): \(error)")
        }
    }

    /// What the sync handlers need to run in this process.
    func syncEnvironment(policies: PolicySet) throws -> SyncEnvironment {
        SyncEnvironment(
            databasePath: databasePath, connection: connectionConfiguration, plugins: try BuiltInPlugins.registry(),
            policies: policies, environment: environment)
    }
}

extension SyncError {
    /// Bad input and refusals are exit 2; not-found and failures exit 1.
    var cliError: CLIError {
        switch code {
        case .invalidInput, .refused: CLIError.usage(message)
        case .notFound, .failed: CLIError.failure(message)
        }
    }
}

/// Runs a sync-store operation, mapping its errors to exit codes.
func syncOperation<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as SyncError {
        throw error.cliError
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
