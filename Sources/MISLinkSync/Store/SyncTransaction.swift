import MISLinkQueue
import SQLiteDB

/// The one place a commit effect's transaction handle becomes the SQLite connection the sync store
/// works on. The sync store lives in the queue's SQLite file; a queue on PostgreSQL hands over its
/// own connection, and bookkeeping must not write elsewhere, so that is refused by name.
enum SyncTransaction {
    static func connection(_ transaction: any QueueTransaction) throws(SyncError) -> Connection {
        guard let connection = transaction as? Connection else {
            throw SyncError(
                .failed,
                "the sync store is not on PostgreSQL yet: this job's bookkeeping (links, intake, an integration's status) "
                    + "needs the queue on a SQLite file, not on \(transaction.queueBackendName)")
        }
        return connection
    }
}

// What commit effects call with the handle they are given.

extension IntegrationStore {
    convenience init(connection transaction: any QueueTransaction) throws {
        try self.init(connection: SyncTransaction.connection(transaction))
    }
}

extension Bookkeeping {
    func apply(on transaction: any QueueTransaction, now: Int64) throws {
        try apply(on: SyncTransaction.connection(transaction), now: now)
    }
}
