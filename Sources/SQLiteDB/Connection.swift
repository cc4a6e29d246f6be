import CSQLite
import Foundation

/// One SQLite connection: opened, configured and checked the same way everywhere.
///
/// Not `Sendable`: a connection belongs to one thread (or one serial queue) at a time. Each process
/// and each worker loop opens its own; SQLite's file locks and WAL keep them consistent.
public final class Connection {
    let handle: OpaquePointer
    public let path: String
    private var cache: [String: Statement] = [:]

    /// Opens (creating if needed) the database at `path` and applies `configuration`.
    ///
    /// A file that is not a database fails here, with a message naming the file.
    public init(path: String, configuration: ConnectionConfiguration = ConnectionConfiguration()) throws {
        _ = Self.globalSetUp
        try Self.checkPath(path, create: configuration.createIfMissing)
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE
        if configuration.createIfMissing { flags |= SQLITE_OPEN_CREATE }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            let code = db.map { sqlite3_extended_errcode($0) } ?? rc
            sqlite3_close_v2(db)
            throw SQLiteError(extendedCode: code, message: "cannot open \(path): \(message)")
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        do {
            try setUp(configuration)
        } catch let error as SQLiteError {
            cache.removeAll()
            sqlite3_close_v2(db)
            if error.isNotADatabase && !error.message.hasPrefix(path) {
                throw SQLiteError(
                    extendedCode: error.extendedCode,
                    message: "\(path) is not a SQLite database (\(error.message))")
            }
            throw error
        }
    }

    /// Process-wide SQLite settings, applied once before the first connection opens. If another
    /// library initialised SQLite first the calls fail harmlessly and the defaults stay.
    private static let globalSetUp: Void = {
        _ = mislink_sqlite_config_multithread()
        _ = mislink_sqlite_disable_memstatus()
    }()

    deinit {
        cache.removeAll()  // finalize every statement before the handle goes
        sqlite3_close_v2(handle)
    }

    private func setUp(_ configuration: ConnectionConfiguration) throws {
        sqlite3_busy_timeout(handle, Int32(configuration.busyTimeoutMilliseconds))
        // Reading the schema now makes a file that is not a database fail early and clearly.
        try execute("SELECT count(*) FROM sqlite_master")
        // Ownership before anything that writes: a file of someone else's is left exactly as it was.
        if let owner = configuration.owner { try claimOrCheck(owner) }
        if configuration.walMode {
            let mode = try scalarString("PRAGMA journal_mode=WAL")
            guard mode?.lowercased() == "wal" else {
                throw SQLiteError(
                    extendedCode: SQLITE_ERROR,
                    message: "\(path): journal_mode=WAL answered \(mode ?? "nothing"); WAL is required")
            }
        }
        try execute("PRAGMA synchronous=\(configuration.synchronous.rawValue)")
        try execute("PRAGMA foreign_keys=ON")
        // A bigger page cache keeps a large batch's index pages in memory until commit.
        try execute("PRAGMA cache_size=-\(configuration.cacheSizeKiB)")
        // Debian builds default to secure_delete=ON; we do not need the extra writes.
        try execute("PRAGMA secure_delete=OFF")
    }

    // MARK: - Ownership and file modes

    /// Marks an empty file as the owner's, accepts one already marked so, and refuses the rest.
    private func claimOrCheck(_ owner: FileOwner) throws {
        let found = Int32(truncatingIfNeeded: try scalarInt("PRAGMA application_id") ?? 0)
        if found == owner.applicationID { return }
        let tables = try scalarInt("SELECT count(*) FROM sqlite_master") ?? 0
        if found == 0, try tables == 0 || owner.adoptsUnmarked(self) {
            try execute("PRAGMA application_id=\(owner.applicationID)")
            return
        }
        let whose = found == 0 ? "an unmarked SQLite database with \(tables) schema object(s)" : "a SQLite database of another application (application_id \(found))"
        throw SQLiteError(
            extendedCode: SQLITE_NOTADB,
            message: "\(path) is \(whose), not \(owner.name); it was left untouched")
    }

    /// A directory is refused by name, and a new file is created owner-only (0600, whatever the umask)
    /// before SQLite opens it, so that its -wal and -shm files, which SQLite creates with the
    /// database's mode, are owner-only too: queue and target files hold personal data.
    private static func checkPath(_ path: String, create: Bool) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw SQLiteError(extendedCode: SQLITE_CANTOPEN, message: "\(path) is a directory, not a database file")
            }
            return
        }
        guard create, errno == ENOENT, path != ":memory:", !path.isEmpty else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }  // SQLite's own open reports the reason (no such folder, no access)
        _ = fchmod(fd, 0o600)
        close(fd)
    }

    // MARK: - Errors

    func error(code: Int32, sql: String?) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        return SQLiteError(extendedCode: extended != 0 ? extended : code, message: message, sql: sql)
    }

    // MARK: - Running SQL

    /// Runs one or more statements that take no parameters.
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorMessage)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// The cached prepared statement for `sql`, reset and unbound after `body`.
    public func withStatement<T>(_ sql: String, _ body: (Statement) throws -> T) throws -> T {
        let statement: Statement
        if let cached = cache[sql] {
            statement = cached
        } else {
            statement = try Statement(connection: self, sql: sql, persistent: true)
            cache[sql] = statement
        }
        defer { statement.reset() }
        return try body(statement)
    }

    /// Runs a statement that returns no rows; answers the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> Int {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            while try statement.step() {}
            return Int(sqlite3_changes(handle))
        }
    }

    /// Runs a query and maps each row.
    public func query<T>(_ sql: String, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> [T] {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            var rows: [T] = []
            while try statement.step() { rows.append(try map(Row(handle: statement.handle))) }
            return rows
        }
    }

    /// Runs a query and maps its first row, if any.
    public func queryFirst<T>(_ sql: String, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> T? {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            return try statement.step() ? try map(Row(handle: statement.handle)) : nil
        }
    }

    public func scalarInt(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> Int64? {
        try queryFirst(sql, arguments) { $0.optionalInt64(0) } ?? nil
    }

    public func scalarString(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> String? {
        try queryFirst(sql, arguments) { $0.optionalString(0) } ?? nil
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Changes whenever another connection commits to the file: a cheap "is there anything new?" check.
    public func dataVersion() throws -> Int64 {
        try scalarInt("PRAGMA data_version") ?? 0
    }

    // MARK: - Transactions

    /// Runs `body` under a savepoint inside the current transaction: if it throws, only its own writes
    /// are undone (the savepoint is rolled back and released) and the error is rethrown.
    @discardableResult
    public func savepoint<T>(_ name: String = "mislink_savepoint", _ body: () throws -> T) throws -> T {
        try run("SAVEPOINT \(name)")
        do {
            let result = try body()
            try run("RELEASE \(name)")
            return result
        } catch {
            try run("ROLLBACK TO \(name)")
            try run("RELEASE \(name)")
            throw error
        }
    }

    /// Runs `body` in a transaction; commits if it returns, rolls back and rethrows if it throws.
    ///
    /// Writes use `.immediate`: taking the write lock up front means waiting on the busy timeout
    /// instead of a `SQLITE_BUSY` that no timeout fixes when a read upgrades to a write.
    @discardableResult
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        // Prepared and cached like any statement: a worker begins and commits thousands of times a second.
        try run(kind.beginSQL)
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            if isInTransaction { _ = try? run("ROLLBACK") }
            throw error
        }
    }
}

public enum TransactionKind: Sendable {
    case deferred, immediate, exclusive

    var beginSQL: String {
        switch self {
        case .deferred: "BEGIN DEFERRED"
        case .immediate: "BEGIN IMMEDIATE"
        case .exclusive: "BEGIN EXCLUSIVE"
        }
    }
}

/// `PRAGMA synchronous`. In WAL mode NORMAL survives any process crash; FULL also survives power loss.
public enum SynchronousMode: String, Sendable, CaseIterable {
    case off = "OFF"
    case normal = "NORMAL"
    case full = "FULL"

    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }
}

/// How a connection is opened. Every field has a default.
public struct ConnectionConfiguration: Sendable {
    public var busyTimeoutMilliseconds: Int
    public var synchronous: SynchronousMode
    public var walMode: Bool
    public var createIfMissing: Bool
    /// Page cache per connection, in KiB.
    public var cacheSizeKiB: Int
    /// The application the file belongs to; nil opens any SQLite file (tests, tools).
    public var owner: FileOwner?

    public init(
        busyTimeoutMilliseconds: Int = 30_000,
        synchronous: SynchronousMode = .normal,
        walMode: Bool = true,
        createIfMissing: Bool = true,
        cacheSizeKiB: Int = 32_768,
        owner: FileOwner? = nil
    ) {
        self.owner = owner
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.synchronous = synchronous
        self.walMode = walMode
        self.createIfMissing = createIfMissing
        self.cacheSizeKiB = cacheSizeKiB
    }
}
