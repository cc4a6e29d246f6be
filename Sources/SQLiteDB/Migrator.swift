/// Schema migrations by `PRAGMA user_version`: migration N takes the schema from version N-1 to N.
public struct Migrator: Sendable {
    public struct Migration: Sendable {
        public let version: Int
        public let sql: String
        public init(version: Int, sql: String) {
            self.version = version
            self.sql = sql
        }
    }

    public let migrations: [Migration]

    public init(_ migrations: [Migration]) {
        precondition(
            migrations.enumerated().allSatisfy { $0.offset + 1 == $0.element.version },
            "migrations must be numbered 1, 2, 3, … in order")
        self.migrations = migrations
    }

    public var latestVersion: Int { migrations.count }

    /// Applies the migrations the database lacks, each in its own immediate transaction, so that
    /// two processes starting at once never both apply one.
    public func migrate(_ connection: Connection) throws {
        let current = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
        if current > latestVersion {
            throw SQLiteError(
                extendedCode: 1,
                message: "\(connection.path) has schema version \(current), newer than this build knows (\(latestVersion)); upgrade mislink")
        }
        guard current < latestVersion else { return }
        try connection.transaction(.immediate) {
            // Read again inside the write lock: another process may have migrated meanwhile.
            let version = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
            for migration in migrations where migration.version > version {
                try connection.execute(migration.sql)
                try connection.execute("PRAGMA user_version=\(migration.version)")
            }
        }
    }
}
