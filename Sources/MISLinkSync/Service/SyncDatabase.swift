import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import PostgresDB
import SQLiteDB

/// The queue's database as the service layer uses it, on either back end (a SQLite file or a
/// PostgreSQL URL): the queue's tables and the sync tables on one connection, so that a rule's check
/// and the write it allows commit in one transaction.
///
/// The only place in the service that opens the database; callers never see its connection.
/// Not `Sendable`, like the connection.
final class SyncDatabase {
    /// Whether a command may create the database. A command that only reads never makes a SQLite
    /// file: a mistyped `--db` must not leave an empty queue behind and report "no jobs". (A
    /// PostgreSQL database is the server's to create; its tables are made on first use either way.)
    enum Access {
        case read, write
    }

    let queue: any QueueAdminBackend
    let store: IntegrationStore

    init(location: String, configuration: ConnectionConfiguration, access: Access) throws(SyncError) {
        queue = try Self.openQueue(location: location, configuration: configuration, access: access)
        do {
            store = try IntegrationStore(sql: queue.transactionHandle.portableSQL)
        } catch {
            throw SyncError(.failed, "cannot open the sync tables in \(Self.printable(location)): \(OneLine.text("\(error)"))")
        }
    }

    convenience init(_ environment: SyncEnvironment, access: Access) throws(SyncError) {
        try self.init(location: environment.databasePath, configuration: environment.connection, access: access)
    }

    /// Runs `body` in one write transaction: the queue's calls and the store's join it.
    func write<T>(_ body: () throws -> T) throws -> T {
        try queue.inTransaction(body)
    }

    /// Enqueues inside the transaction `write` opened.
    func insert(_ job: NewJob, now: Int64) throws -> EnqueueResult {
        try queue.transactionHandle.enqueue(job, now: now)
    }

    /// Retries inside the transaction `write` opened.
    func requeue(_ id: Int64, extraAttempts: Int, now: Int64) throws {
        try queue.retryJob(id: id, extraAttempts: extraAttempts, now: now)
    }

    /// Opens the queue alone (`jobs list`, `stats`, …), with the same checks of the location.
    static func openQueue(location: String, configuration: ConnectionConfiguration, access: Access) throws(SyncError)
        -> any QueueAdminBackend
    {
        switch try parse(location) {
        case .sqlite(let path):
            return try openSQLite(path: path, configuration: configuration, access: access)
        case .postgres(let url):
            do {
                return try PostgresJobStore(url: url)
            } catch {
                throw SyncError(.failed, "cannot open the queue database \(url.description): \(OneLine.text("\(error)"))")
            }
        }
    }

    /// The SQLite file's own store, for what only a file has (a backup, an integrity check, the
    /// state counters' recount): on PostgreSQL `what` is refused, naming the server's own tools.
    static func openSQLiteQueue(_ environment: SyncEnvironment, access: Access, for what: String) throws(SyncError) -> JobStore {
        switch try parse(environment.databasePath) {
        case .sqlite(let path):
            return try openSQLite(path: path, configuration: environment.connection, access: access)
        case .postgres(let url):
            throw SyncError(
                .refused, "\(what) is for a SQLite queue file; the queue at \(url.description) is on PostgreSQL, whose server looks after its own (pg_dump, amcheck)")
        }
    }

    /// Refuses a location that cannot be the queue (a folder; a missing SQLite file when only
    /// reading), before anything is opened; a URL is the server's to answer for.
    static func check(_ location: String, access: Access) throws(SyncError) {
        if case .sqlite(let path) = try parse(location) { try QueueFile.check(path, access: access) }
    }

    /// The location as it may be printed: a URL's password as `***`.
    static func printable(_ location: String) -> String {
        (try? QueueDatabase(location).description) ?? location
    }

    private static func parse(_ location: String) throws(SyncError) -> QueueDatabase {
        do { return try QueueDatabase(location) } catch { throw SyncError(.invalidInput, OneLine.text("\(error)")) }
    }

    private static func openSQLite(path: String, configuration: ConnectionConfiguration, access: Access) throws(SyncError)
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
