import SQLiteDB

/// The open transaction a completion's bookkeeping runs in, whatever the back end: SQLite's
/// `Connection` or PostgreSQL's `PostgresConnection` (conformed in MISLinkQueuePostgres). A marker:
/// bookkeeping that knows its store's back end casts it to the connection it expects, in one place,
/// and names the mismatch in an error rather than writing elsewhere.
public protocol QueueTransaction: AnyObject {
    /// What the back end is, for that error: "SQLite", "PostgreSQL".
    var queueBackendName: String { get }
}

extension Connection: QueueTransaction {
    public var queueBackendName: String { "SQLite" }
}
