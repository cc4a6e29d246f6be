import Foundation

extension PostgresConnection {
    /// Runs `body` in a transaction: commits if it returns, rolls back and rethrows if it throws.
    ///
    /// With `retries` > 0, a transaction that fails with a serialization failure (40001) or a deadlock
    /// (40P01), or whose connection was lost before COMMIT was sent, is rolled back (reconnecting
    /// first, for a lost connection) and `body` runs again, up to `retries` more times; so `body`
    /// must only touch the database and values it makes itself. A connection lost during COMMIT is
    /// never retried: the server may have committed, so the error is `.commitOutcomeUnknown`.
    @discardableResult
    public func transaction<T>(
        isolation: PostgresIsolation = .readCommitted, retries: Int = 0, _ body: () throws -> T
    ) throws -> T {
        try lock.withLock {
            guard !isInTransaction else {
                throw PostgresError(kind: .misuse, message: "transaction {} called inside an open transaction")
            }
            var attemptsLeft = retries
            while true {
                do {
                    return try runTransaction(isolation: isolation, body)
                } catch let error as PostgresError where error.isTransient && error.kind != .commitOutcomeUnknown && attemptsLeft > 0 {
                    attemptsLeft -= 1
                    if error.isConnectionLost || !isConnected { try reconnect() }
                }
            }
        }
    }

    /// Runs `body` under a savepoint of the open transaction: its writes are undone if it throws,
    /// and the transaction goes on.
    @discardableResult
    public func savepoint<T>(_ name: String, _ body: () throws -> T) throws -> T {
        try execute("SAVEPOINT \(name)")
        do {
            let value = try body()
            try execute("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            if isConnected { try execute("ROLLBACK TO SAVEPOINT \(name)") }
            throw error
        }
    }

    private func runTransaction<T>(isolation: PostgresIsolation, _ body: () throws -> T) throws -> T {
        try execute("BEGIN ISOLATION LEVEL " + isolation.rawValue)
        let value: T
        do {
            value = try body()
        } catch {
            if isConnected && isInTransaction { _ = try? execute("ROLLBACK") }
            throw error
        }
        do {
            try execute("COMMIT")
        } catch let error as PostgresError where error.isConnectionLost {
            throw PostgresError(
                kind: .commitOutcomeUnknown, sqlState: error.sqlState,
                message: "the connection was lost during COMMIT, so the transaction may or may not have committed: \(error.message)",
                sql: "COMMIT")
        }
        return value
    }
}
