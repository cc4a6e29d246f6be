import Foundation
import MISLinkQueue
import SQLiteDB

/// The queue's database file as the service layer uses it: the queue's tables and the sync tables on
/// one connection, so that a rule's check and the write it allows commit in one transaction.
///
/// The only place in the service that opens the file; callers never see its connection.
/// Not `Sendable`, like the connection.
final class SyncDatabase {
    /// Whether a command may create the file. A command that only reads never does: a mistyped
    /// `--db` must not leave an empty queue behind and report "no jobs".
    enum Access {
        case read, write
    }

    let queue: JobStore
    let store: IntegrationStore

    init(path: String, configuration: ConnectionConfiguration, access: Access) throws(SyncError) {
        queue = try Self.openQueue(path: path, configuration: configuration, access: access)
        do {
            store = try IntegrationStore(connection: queue.connection)
        } catch {
            throw SyncError(.failed, "cannot open the sync tables in \(path): \(error)")
        }
    }

    convenience init(_ environment: SyncEnvironment, access: Access) throws(SyncError) {
        try self.init(path: environment.databasePath, configuration: environment.connection, access: access)
    }

    /// Runs `body` in one write transaction.
    func write<T>(_ body: () throws -> T) throws -> T {
        try queue.connection.transaction(.immediate, body)
    }

    /// Enqueues inside the transaction `write` opened.
    func insert(_ job: NewJob, now: Int64) throws -> EnqueueResult {
        try JobStore.enqueue(job, on: queue.connection, now: now)
    }

    /// Retries inside the transaction `write` opened.
    func requeue(_ id: Int64, extraAttempts: Int, now: Int64) throws {
        try JobStore.retry(id: id, extraAttempts: extraAttempts, on: queue.connection, now: now)
    }

    /// Opens the queue alone (`jobs list`, `stats`, …), with the same checks of the path.
    static func openQueue(path: String, configuration: ConnectionConfiguration, access: Access) throws(SyncError)
        -> JobStore
    {
        try QueueFile.check(path, access: access)
        var configuration = configuration
        configuration.createIfMissing = access == .write
        do {
            return try JobStore(path: path, configuration: configuration)
        } catch let error as SQLiteError {
            if error.isNotADatabase { throw SyncError(.invalidInput, OneLine.text(error.message)) }
            throw SyncError(.failed, "cannot open the queue database \(path): \(OneLine.text(error.message))")
        } catch {
            throw SyncError(.failed, "cannot open the queue database \(path): \(error)")
        }
    }
}
