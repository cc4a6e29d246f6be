import MISLinkQueue
import PostgresDB

/// A PostgreSQL completion's transaction, as bookkeeping sees it.
extension PostgresConnection: QueueTransaction {
    public var queueBackendName: String { "PostgreSQL" }
}
