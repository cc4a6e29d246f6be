import CLibPQ
import Foundation

/// One libpq connection to a PostgreSQL server.
///
/// Safe to share between threads: every call holds a recursive lock for its whole length, so one
/// thread at a time uses the connection, and a `transaction {}` keeps it until it commits (the body's
/// own calls re-enter the lock on the same thread). Callers that want concurrency open several
/// connections; a connection that waits for notifications should be dedicated to that.
public final class PostgresConnection: @unchecked Sendable {
    // The lock above serialises all use of `handle`, `listening` and `statements`, hence `@unchecked`.
    let handle: OpaquePointer
    public let url: PostgresURL
    let lock = NSRecursiveLock()
    /// Channels this connection listens on, listened to again after a reconnect.
    var listening: Set<String> = []
    let configuration: PostgresConfiguration
    /// Prepared statements by SQL: the server's name for each. Gone with the session, so cleared on reconnect.
    private var statements: [String: String] = [:]
    /// Statements built from varying text would fill the cache; past this many, the rest run unprepared.
    static let statementCacheLimit = 512

    /// Connects to `url` (`postgresql://USER@HOST:PORT/DB`, or `?host=/socket/dir`). A failure names
    /// the URL with its password as `***`, and libpq's reason.
    public convenience init(url: String, configuration: PostgresConfiguration = PostgresConfiguration()) throws {
        try self.init(url: PostgresURL(url), configuration: configuration)
    }

    public init(url: PostgresURL, configuration: PostgresConfiguration = PostgresConfiguration()) throws {
        let pairs = configuration.keywords(for: url)
        let keys = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer { (keys + values).forEach { free($0) } }
        let keyPointers = keys.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        // expand_dbname = 1: "dbname" is the URL, whose settings override the keywords before it.
        let connection = PQconnectdbParams(keyPointers, valuePointers, 1)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let reason = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw PostgresError(kind: .connectionFailed, message: "cannot connect to \(url): \(url.scrub(Self.oneLine(reason)))")
        }
        self.handle = connection
        self.url = url
        self.configuration = configuration
    }

    deinit {
        PQfinish(handle)
    }

    /// Whether the connection is still up, as libpq last saw it.
    public var isConnected: Bool { lock.withLock { PQstatus(handle) == CONNECTION_OK } }

    /// Whether a transaction is open (or failed and not yet rolled back).
    public var isInTransaction: Bool {
        lock.withLock {
            let status = PQtransactionStatus(handle)
            return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
        }
    }

    /// The server's process id for this session (what `pg_terminate_backend` takes).
    public var serverProcessID: Int32 { lock.withLock { PQbackendPID(handle) } }

    /// Drops the connection and makes it again with the same settings, then listens again on the
    /// channels it listened on. Notifications sent while it was down are lost: catch up after this.
    public func reconnect() throws {
        try lock.withLock {
            PQreset(handle)
            statements.removeAll()
            guard PQstatus(handle) == CONNECTION_OK else {
                throw PostgresError(kind: .connectionFailed, message: "cannot reconnect to \(url): \(libpqMessage())")
            }
            for channel in listening.sorted() { try execute("LISTEN " + quoteIdentifier(channel)) }
        }
    }

    // MARK: - Running SQL

    /// Runs one statement with `$1…` parameters, sent in text format; answers its rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresBindable] = []) throws -> PostgresResult {
        try lock.withLock {
            let values = parameters.map(\.postgresValue)
            let texts = values.map { $0.textValue.map { strdup($0) } ?? nil }
            defer { texts.forEach { free($0) } }
            let pointers = texts.map { $0.map { UnsafePointer($0) } }
            let types = values.map(\.typeOID)
            return try consume(run(sql, count: Int32(values.count), types: types, values: pointers), sql: sql)
        }
    }

    /// Runs `sql` by its prepared statement, preparing it on first use; other statements (BEGIN,
    /// LISTEN, DDL) and a full cache run unprepared. A failed prepare answers its error result.
    private func run(_ sql: String, count: Int32, types: [UInt32], values: [UnsafePointer<CChar>?]) -> OpaquePointer? {
        if let name = statements[sql] { return PQexecPrepared(handle, name, count, values, nil, nil, 0) }
        guard configuration.preparedStatements, statements.count < Self.statementCacheLimit, Self.isPreparable(sql) else {
            return PQexecParams(handle, sql, count, types, values, nil, nil, 0)
        }
        let name = "mislink_\(statements.count + 1)"
        guard let prepared = PQprepare(handle, name, sql, count, types) else { return nil }
        guard PQresultStatus(prepared) == PGRES_COMMAND_OK else { return prepared }
        PQclear(prepared)
        statements[sql] = name
        return PQexecPrepared(handle, name, count, values, nil, nil, 0)
    }

    /// Plannable statements, the ones worth preparing.
    private static func isPreparable(_ sql: String) -> Bool {
        let head = sql.drop { $0.isWhitespace }.prefix(7).uppercased()
        return ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains { head.hasPrefix($0) }
    }

    /// Runs several `;`-separated statements without parameters (a migration script) in one round trip.
    public func executeScript(_ sql: String) throws {
        try lock.withLock {
            _ = try consume(PQexec(handle, sql), sql: sql)
        }
    }

    /// `name` quoted as an identifier (a channel, a table), safe to put in SQL.
    public func quoteIdentifier(_ name: String) throws -> String {
        try lock.withLock {
            guard let quoted = PQescapeIdentifier(handle, name, name.utf8.count) else {
                throw PostgresError(kind: .misuse, message: "cannot quote identifier: \(libpqMessage())")
            }
            defer { PQfreemem(quoted) }
            return String(cString: quoted)
        }
    }

    /// Copies a result's rows out and frees it, or turns it into the error it carries.
    private func consume(_ result: OpaquePointer?, sql: String) throws -> PostgresResult {
        guard let result else {
            throw PostgresError(
                kind: PQstatus(handle) == CONNECTION_OK ? .misuse : .connectionLost, message: libpqMessage(), sql: sql)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            throw error(from: result, status: status, sql: sql)
        }
        let fieldCount = Int(PQnfields(result))
        let columns = PostgresColumns((0..<fieldCount).map { String(cString: PQfname(result, Int32($0))) })
        let rows = (0..<PQntuples(result)).map { row in
            PostgresRow(
                columns: columns,
                cells: (0..<Int32(fieldCount)).map { field in
                    PQgetisnull(result, row, field) == 1 ? nil : String(cString: PQgetvalue(result, row, field))
                })
        }
        return PostgresResult(columns: columns, rows: rows, affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0)
    }

    private func error(from result: OpaquePointer, status: ExecStatusType, sql: String) -> PostgresError {
        let sqlState = mislink_pq_sqlstate(result).map { String(cString: $0) }
        guard sqlState != nil || PQstatus(handle) == CONNECTION_OK else {
            return PostgresError(kind: .connectionLost, message: "the connection to \(url) was lost: \(libpqMessage())", sql: sql)
        }
        if status != PGRES_FATAL_ERROR && status != PGRES_NONFATAL_ERROR && status != PGRES_BAD_RESPONSE {
            return PostgresError(kind: .misuse, message: "unsupported result \(String(cString: PQresStatus(status)))", sql: sql)
        }
        let primary = mislink_pq_primary_message(result).map { String(cString: $0) } ?? String(cString: PQresultErrorMessage(result))
        return PostgresError(
            kind: .server, sqlState: sqlState, message: url.scrub(Self.oneLine(primary)),
            constraint: mislink_pq_constraint_name(result).map { String(cString: $0) }, sql: sql)
    }

    /// libpq's last message for this connection, on one line, without the password.
    func libpqMessage() -> String {
        url.scrub(Self.oneLine(String(cString: PQerrorMessage(handle))))
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
