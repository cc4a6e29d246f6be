/// A failed PostgreSQL call: what kind of failure, the server's SQLSTATE when it sent one, its primary
/// message, and the SQL that failed.
///
/// Never part of the error: bound values, the server's DETAIL lines (a duplicate key's DETAIL quotes
/// the row's value) and any password from the connection URL. All of them may be secrets.
public struct PostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Where the failure happened, so callers match on a type rather than on message text.
    public enum Kind: String, Sendable, Equatable {
        /// The URL is not one PostgresDB can use.
        case badURL
        /// No connection could be made (refused, unknown host, wrong password, no such database).
        case connectionFailed
        /// An open connection broke (the server went away, or the connection was terminated).
        case connectionLost
        /// The connection broke while COMMIT was on its way: the transaction may have committed or not.
        case commitOutcomeUnknown
        /// The server refused a statement; `sqlState` says why.
        case server
        /// A value in a row is not what the caller asked for (NULL, or not the type).
        case decoding
        /// The connection was used in a way it does not allow (a statement in a failed transaction).
        case misuse
    }

    public let kind: Kind
    /// The five-character SQLSTATE (`23505`, `40001`, …), when the server sent one.
    public let sqlState: String?
    public let message: String
    /// The failing constraint, for integrity violations (a unique index's name).
    public let constraint: String?
    public let sql: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, constraint: String? = nil, sql: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
        self.sql = sql
    }

    /// `40001`: the transaction lost a serialization conflict; running it again can succeed.
    public var isSerializationFailure: Bool { sqlState == "40001" }
    /// `40P01`: the server broke a deadlock by aborting this transaction; running it again can succeed.
    public var isDeadlock: Bool { sqlState == "40P01" }
    /// `23505`: a unique index refused the row (a duplicate job's unique key).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// The connection is gone: lost, never made, or the server says so (class 08, or it is shutting
    /// down: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
    public var isConnectionLost: Bool {
        if kind == .connectionLost || kind == .commitOutcomeUnknown { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// A failure that running the same transaction again (after reconnecting, for a lost connection)
    /// can cure: a serialization failure, a deadlock, or a lost connection.
    public var isTransient: Bool { isSerializationFailure || isDeadlock || isConnectionLost }

    public var description: String {
        var text = "PostgreSQL error"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        if let sql { text += " (while running: \(sql))" }
        return text
    }
}
