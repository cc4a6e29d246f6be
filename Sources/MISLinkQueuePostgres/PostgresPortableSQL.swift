import Foundation
import MISLinkQueue
import PostgresDB
import SQLiteDB
import Synchronization

/// PostgreSQL's connection as a `PortableSQL`: the stores' `?` placeholders become `$1…` (outside
/// quoted text), `SQLValue`s become PostgreSQL parameters, and rows are read through `PostgresRow`.
/// Inside an open transaction (a completion's), `transaction {}` is a savepoint.
public final class PostgresPortableSQL: PortableSQL {
    public let connection: PostgresConnection
    /// Each statement's numbered form, made once.
    private static let numbered = Mutex<[String: String]>([:])

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// A connection of its own to the queue's database at `url` (MISLink's URL options, such as
    /// `mislink_wakeups`, kept from libpq), with the queue's tables made first: a store beside the
    /// queue references its jobs. The queue's schema is checked once per process and database.
    public static func open(url: PostgresURL) throws -> PostgresPortableSQL {
        let connection = try PostgresConnection(url: PostgresQueueOptions(url).connectionURL)
        let key = "queue@" + connection.url.description
        if !migrated.withLock({ $0.contains(key) }) {
            try PostgresQueueSchema.migrator.migrate(connection)
            migrated.withLock { _ = $0.insert(key) }
        }
        return PostgresPortableSQL(connection)
    }

    public var backendName: String { "PostgreSQL" }

    public func query<T>(_ sql: String, _ arguments: [any SQLBindable], _ map: (any PortableRow) throws -> T) throws -> [T] {
        try connection.execute(Self.numbering(sql), arguments.map(Self.parameter)).rows.map { row in
            try map(PostgresPortableRow(row: row))
        }
    }

    @discardableResult
    public func run(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int {
        try connection.execute(Self.numbering(sql), arguments.map(Self.parameter)).affectedRows
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        guard connection.isInTransaction else { return try connection.transaction(body) }
        return try connection.savepoint("mislink_portable", body)
    }

    public func migrate(_ schema: PortableSchema) throws {
        let key = schema.track + "@" + connection.url.description
        if Self.migrated.withLock({ $0.contains(key) }) { return }
        let migrator = Self.migrator(schema)
        let versions = try migrator.versions(connection)
        if versions.found > versions.latest {
            throw PostgresError(
                kind: .misuse,
                message: "\(connection.url) has \(schema.track) schema version \(versions.found), newer than this build knows (\(versions.latest)); upgrade mislink")
        }
        if versions.found < versions.latest {
            // A store opened inside a completion's transaction finds its tables made when its
            // process first opened them; migrating needs a transaction of its own.
            guard !connection.isInTransaction else {
                throw PostgresError(
                    kind: .misuse, message: "the \(schema.track) tables on \(connection.url) need migrating, which cannot run inside a transaction")
            }
            try migrator.migrate(connection)
        }
        Self.migrated.withLock { _ = $0.insert(key) }
    }

    public func schemaVersion(_ schema: PortableSchema) throws -> (found: Int, latest: Int) {
        try Self.migrator(schema).versions(connection)
    }

    /// Databases and tracks this process has found or made current: checked once, not per store.
    private static let migrated = Mutex<Set<String>>([])

    private static func migrator(_ schema: PortableSchema) -> PostgresMigrator {
        PostgresMigrator(
            table: "mislink_\(schema.track)_migrations", lockKey: lockKey(schema.track),
            migrations: schema.postgres.map { .init(version: $0.version, sql: $0.sql) })
    }

    /// The advisory lock of a track's migrations: a fixed number from its name (FNV-1a), the same in
    /// every process.
    static func lockKey(_ track: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("mislink-migrations-" + track).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    private static func parameter(_ value: any SQLBindable) -> any PostgresBindable {
        switch value.sqlValue {
        case .null: PostgresValue.null
        case .integer(let number): PostgresValue.int64(number)
        case .real(let number): PostgresValue.double(number)
        case .text(let text): PostgresValue.text(text)
        case .blob(let bytes): PostgresValue.bytea(Data(bytes))
        }
    }

    /// `sql` with each `?` outside quotes numbered `$1`, `$2`, …
    static func numbering(_ sql: String) -> String {
        if let known = numbered.withLock({ $0[sql] }) { return known }
        var out = ""
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                out.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                out.append(character)
            } else if character == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        numbered.withLock { $0[sql] = out }
        return out
    }
}

/// A PostgreSQL row read by position, as the portable stores read rows.
struct PostgresPortableRow: PortableRow {
    let row: PostgresRow

    func isNull(_ index: Int32) throws -> Bool { try row.isNull(Int(index)) }
    func int64(_ index: Int32) throws -> Int64 { try row.int64(Int(index)) }
    func int(_ index: Int32) throws -> Int { Int(try row.int64(Int(index))) }
    func double(_ index: Int32) throws -> Double { try row.double(Int(index)) }
    func string(_ index: Int32) throws -> String { try row.string(Int(index)) }
    func optionalString(_ index: Int32) throws -> String? { try row.optionalString(Int(index)) }
    func optionalInt64(_ index: Int32) throws -> Int64? { try row.optionalInt64(Int(index)) }
}
