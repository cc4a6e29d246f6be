import Foundation
import MISLinkQueue
import PostgresDB
import SQLiteDB

/// Where the queue lives, as `--db` or `MISLINK_DB` names it: a `postgresql://` URL, or a path to a
/// SQLite file. The one place that tells them apart, so no caller asks "is this PostgreSQL?".
public enum QueueDatabase: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Reads `location`; a URL of another scheme is refused rather than taken for a file name.
    public init(_ location: String) throws {
        if PostgresURL.isPostgresURL(location) {
            self = .postgres(try PostgresURL(location))
        } else if let scheme = location.range(of: "://").map({ location[..<$0.lowerBound] }), !scheme.contains("/") {
            throw QueueError(
                .invalidInput,
                "\(scheme):// is not a database MISLink can use: give a postgresql:// URL or the path of a SQLite file")
        } else {
            self = .sqlite(path: location)
        }
    }

    /// Opens (creating and migrating as needed) the queue there.
    public func open(sqliteConfiguration: ConnectionConfiguration = ConnectionConfiguration()) throws -> any QueueBackend {
        switch self {
        case .sqlite(let path): try JobStore(path: path, configuration: sqliteConfiguration)
        case .postgres(let url): try PostgresJobStore(url: url)
        }
    }

    /// A connection of its own to the database, the queue's tables made first: for work that spans
    /// the queue and the sync store in one transaction (the nightly schedule), on either back end.
    public func openTransactionHandle(sqliteConfiguration: ConnectionConfiguration = ConnectionConfiguration()) throws
        -> any QueueTransaction
    {
        switch self {
        case .sqlite(let path):
            _ = try JobStore(path: path, configuration: sqliteConfiguration)
            return try Connection(path: path, configuration: JobStore.queueConfiguration(sqliteConfiguration))
        case .postgres(let url):
            return try PostgresPortableSQL.open(url: url).connection
        }
    }

    /// The location as it may be printed: a URL's password as `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.description
        }
    }
}
