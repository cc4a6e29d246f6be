/// Schema migrations: migration N takes the schema from version N-1 to N.
///
/// The main schema counts in `PRAGMA user_version`. Another module sharing the file (the sync
/// engine beside the queue) counts in its own named track, a row of `schema_tracks`, so the two
/// never fight over one number.
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
    /// Nil: `user_version`. Otherwise the name of the track in `schema_tracks`.
    public let track: String?

    public init(_ migrations: [Migration], track: String? = nil) {
        self.track = track
        precondition(
            migrations.enumerated().allSatisfy { $0.offset + 1 == $0.element.version },
            "migrations must be numbered 1, 2, 3, … in order")
        self.migrations = migrations
    }

    public var latestVersion: Int { migrations.count }

    /// Applies the migrations the database lacks, each in its own immediate transaction, so that
    /// two processes starting at once never both apply one.
    public func migrate(_ connection: Connection) throws {
        let current = try version(connection)
        if current > latestVersion {
            throw SQLiteError(
                extendedCode: 1,
                message: "\(connection.path) has schema version \(current), newer than this build knows (\(latestVersion)); upgrade mislink")
        }
        guard current < latestVersion else { return }
        try connection.transaction(.immediate) {
            // Read again inside the write lock: another process may have migrated meanwhile.
            let version = try version(connection)
            for migration in migrations where migration.version > version {
                try connection.execute(migration.sql)
                if let track {
                    try connection.run(
                        "INSERT OR REPLACE INTO schema_tracks(track, version) VALUES (?, ?)", [track, migration.version])
                } else {
                    try connection.execute("PRAGMA user_version=\(migration.version)")
                }
            }
        }
    }

    private func version(_ connection: Connection) throws -> Int {
        guard let track else { return Int(try connection.scalarInt("PRAGMA user_version") ?? 0) }
        try connection.execute("CREATE TABLE IF NOT EXISTS schema_tracks(track TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        return Int(try connection.scalarInt("SELECT version FROM schema_tracks WHERE track = ?", [track]) ?? 0)
    }
}
