import SQLiteDB

/// A row as the back-end-neutral stores read it (columns by position, from 0). SQLite's `Row`
/// conforms as it is; PostgreSQL's rows through an adapter (MISLinkQueuePostgres), which throws on
/// a column that is missing or not of the type asked for.
public protocol PortableRow {
    func isNull(_ index: Int32) throws -> Bool
    func int64(_ index: Int32) throws -> Int64
    func int(_ index: Int32) throws -> Int
    func double(_ index: Int32) throws -> Double
    func string(_ index: Int32) throws -> String
    func optionalString(_ index: Int32) throws -> String?
    func optionalInt64(_ index: Int32) throws -> Int64?
}

extension Row: PortableRow {}

/// A store's connection whatever the back end: the sync store is written once against this, in
/// SQL both SQLite and PostgreSQL take (`?` placeholders, which the PostgreSQL adapter numbers;
/// `INSERT … ON CONFLICT`; no SQLite-only functions). Values bind as `SQLValue`s. Not `Sendable`:
/// used by one thread at a time, like the connections behind it.
public protocol PortableSQL: AnyObject {
    /// "SQLite" or "PostgreSQL", for messages.
    var backendName: String { get }
    func query<T>(_ sql: String, _ arguments: [any SQLBindable], _ map: (any PortableRow) throws -> T) throws -> [T]
    /// Runs a statement; answers how many rows it changed.
    @discardableResult
    func run(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int
    /// Runs `body` in a transaction of its own: commits if it returns, rolls back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// Brings `schema`'s tables up to date on this back end (each back end has its own DDL).
    func migrate(_ schema: PortableSchema) throws
    /// The schema's version in the database, and the newest this build knows.
    func schemaVersion(_ schema: PortableSchema) throws -> (found: Int, latest: Int)
}

/// A store's tables on each back end: SQLite's migrations, and PostgreSQL's (the same tables in
/// its types, versioned in `mislink_<track>_migrations` under an advisory lock).
public struct PortableSchema: Sendable {
    public struct Step: Sendable {
        public let version: Int
        public let sql: String

        public init(version: Int, sql: String) {
            self.version = version
            self.sql = sql
        }
    }

    public let track: String
    public let sqlite: Migrator
    public let postgres: [Step]

    public init(track: String, sqlite: Migrator, postgres: [Step]) {
        self.track = track
        self.sqlite = sqlite
        self.postgres = postgres
    }
}

extension PortableSQL {
    public func query<T>(_ sql: String, _ map: (any PortableRow) throws -> T) throws -> [T] { try query(sql, [], map) }

    @discardableResult
    public func run(_ sql: String) throws -> Int { try run(sql, []) }

    public func queryFirst<T>(_ sql: String, _ arguments: [any SQLBindable] = [], _ map: (any PortableRow) throws -> T)
        throws -> T?
    {
        try query(sql, arguments, map).first
    }

    public func scalarInt(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> Int64? {
        try queryFirst(sql, arguments) { row in try row.isNull(0) ? nil : try row.int64(0) } ?? nil
    }

    public func scalarString(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> String? {
        try queryFirst(sql, arguments) { row in try row.optionalString(0) } ?? nil
    }
}

/// SQLite's connection as a `PortableSQL`.
public final class SQLitePortableSQL: PortableSQL {
    public let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    public var backendName: String { "SQLite" }

    public func query<T>(_ sql: String, _ arguments: [any SQLBindable], _ map: (any PortableRow) throws -> T) throws -> [T] {
        try connection.query(sql, arguments) { row in try map(row) }
    }

    @discardableResult
    public func run(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int { try connection.run(sql, arguments) }

    public func transaction<T>(_ body: () throws -> T) throws -> T { try connection.transaction(.immediate, body) }

    public func migrate(_ schema: PortableSchema) throws { try schema.sqlite.migrate(connection) }

    public func schemaVersion(_ schema: PortableSchema) throws -> (found: Int, latest: Int) {
        let found = try connection.scalarInt("SELECT version FROM schema_tracks WHERE track = ?", [schema.track]) ?? 0
        return (Int(found), schema.sqlite.latestVersion)
    }
}
