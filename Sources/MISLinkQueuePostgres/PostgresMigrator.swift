import PostgresDB

/// Versioned schema migrations on PostgreSQL, safe to run from many processes at once: each run
/// takes a transaction-scoped advisory lock first, so one process migrates and the others, once it
/// commits, find nothing left to do. Applied versions are rows of `<table>`.
struct PostgresMigrator {
    struct Migration {
        let version: Int
        let sql: String
    }

    /// The table of applied versions, and the advisory lock's key (the same for every process).
    let table: String
    let lockKey: Int64
    let migrations: [Migration]

    /// Applies every migration not yet applied, in order, in one transaction; answers the versions applied.
    @discardableResult
    func migrate(_ connection: PostgresConnection) throws -> [Int] {
        // Up to date (nearly always: every process, and every admin call, opens a store): no lock,
        // no DDL, so opening a store never queues behind another process's migration or takes
        // the catalog locks CREATE TABLE IF NOT EXISTS would.
        let (found, latest) = try versions(connection)
        if found >= latest { return [] }
        return try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [lockKey])
            try connection.execute(
                "CREATE TABLE IF NOT EXISTS \(table) (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            let found = try connection.execute("SELECT coalesce(max(version), 0) FROM \(table)").rows.first?.int64(0) ?? 0
            var applied: [Int] = []
            for migration in migrations where migration.version > found {
                try connection.executeScript(migration.sql)
                try connection.execute("INSERT INTO \(table)(version) VALUES ($1)", [migration.version])
                applied.append(migration.version)
            }
            return applied
        }
    }

    /// The latest version applied (0 for an empty database) and the latest this code knows.
    func versions(_ connection: PostgresConnection) throws -> (found: Int, latest: Int) {
        let exists = try connection.execute("SELECT to_regclass($1) IS NOT NULL", [table]).rows.first?.bool(0) ?? false
        let found = exists ? Int(try connection.execute("SELECT coalesce(max(version), 0) FROM \(table)").rows.first?.int64(0) ?? 0) : 0
        return (found, migrations.map(\.version).max() ?? 0)
    }
}
