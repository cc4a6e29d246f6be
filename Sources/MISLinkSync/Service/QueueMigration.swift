import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import PostgresDB
import SQLiteDB

/// `mislink migrate`: copies a SQLite queue file's jobs and integrations (with their links, intake,
/// history, plans and write-backs) into a PostgreSQL database, in one transaction there, and checks
/// every table's count before it commits. The destination must hold no jobs and no integrations,
/// unless `replace` empties MISLink's tables there first.
///
/// Not copied: the worker registry (live processes, which register again), and the SQLite queue's
/// job counters and activity buckets (the console's figures, which PostgreSQL does not keep yet).
public struct QueueMigration {
    /// The tables copied, parents before children; every column of each, by name.
    public static let tables = [
        "jobs", "job_errors", "queue_pauses", "integrations", "links", "intake", "exclusions", "imports", "writebacks",
        "nightly_runs", "target_changes", "import_plans", "plan_steps", "guard_trips", "recycle_bin", "person_changes",
    ]
    /// The ones whose `id` the destination numbers itself: its counter goes past the copied ids.
    static let numbered = ["jobs", "intake", "imports", "target_changes", "person_changes"]
    public static let skipped = ["workers (live processes register again)"]
    /// The queue's lasting figures, copied onto shard 0 of PostgreSQL's sharded tables: the counters
    /// and histograms (without SQLite's state rows: PostgreSQL counts states from its jobs) and the
    /// hourly activity. A few thousand rows at most.
    static let figures: [(table: String, select: String, columns: [String])] = [
        ("job_counters", "SELECT kind, queue, name, le, value FROM job_counters WHERE name NOT LIKE 'state:%' ORDER BY kind, queue, name, le",
         ["kind", "queue", "name", "le", "value"]),
        ("job_activity", "SELECT hour_start, kind, succeeded, failed FROM job_activity ORDER BY hour_start, kind",
         ["hour_start", "kind", "succeeded", "failed"]),
    ]

    public let source: String
    public let destination: PostgresURL
    public var replace = false

    public init(source: String, destination: PostgresURL) {
        self.source = source
        self.destination = destination
    }

    /// Rows copied per table, in `tables` order.
    public func run(progress: (String) -> Void = { _ in }) throws -> [(table: String, rows: Int)] {
        guard FileManager.default.fileExists(atPath: source) else {
            throw SyncError(.invalidInput, "\(source) does not exist; migrate copies an existing SQLite queue file")
        }
        _ = try JobStore(path: source)  // the source at this build's schema on both tracks
        let from = SQLitePortableSQL(try Connection(path: source, configuration: JobStore.queueConfiguration(ConnectionConfiguration())))
        _ = try IntegrationStore(sql: from)
        let to = try PostgresPortableSQL.open(url: destination)
        _ = try IntegrationStore(sql: to)
        var copied: [(table: String, rows: Int)] = []
        try to.transaction {
            let existing = (try to.scalarInt("SELECT count(*) FROM jobs") ?? 0) + (try to.scalarInt("SELECT count(*) FROM integrations") ?? 0)
            if existing > 0 {
                guard replace else {
                    throw SyncError(
                        .invalidInput,
                        "\(destination) already holds \(existing) job(s) and integration(s); migrate copies into an empty database, "
                            + "or empties MISLink's tables there first with --replace")
                }
                for table in Self.tables.reversed() + Self.figures.map(\.table) { try to.run("DELETE FROM \(table)") }
            }
            for table in Self.tables {
                let rows = try copy(table, from: from, to: to)
                progress("\(table): \(rows) row(s)")
                copied.append((table, rows))
            }
            for figures in Self.figures {
                let rows = try copyFigures(figures, from: from, to: to)
                progress("\(figures.table): \(rows) row(s)")
                copied.append((figures.table, rows))
            }
            for table in Self.numbered {
                _ = try to.query("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), greatest((SELECT max(id) FROM \(table)), 1))") { _ in () }
            }
            for (table, rows) in copied {
                let there = Int(try to.scalarInt("SELECT count(*) FROM \(table)") ?? -1)
                let read = Self.figures.first { $0.table == table }.map { "SELECT count(*) FROM (\($0.select)) copied" }
                guard there == rows, Int(try from.scalarInt(read ?? "SELECT count(*) FROM \(table)") ?? -1) == rows else {
                    throw SyncError(.failed, "\(table): \(rows) row(s) read but \(there) in \(destination); nothing was migrated")
                }
            }
        }
        return copied
    }

    /// Copies one of `figures` onto shard 0, 500 rows a statement; answers how many.
    private func copyFigures(
        _ figures: (table: String, select: String, columns: [String]), from: SQLitePortableSQL, to: PostgresPortableSQL
    ) throws -> Int {
        let rows = try from.query(figures.select) { row in try (0..<Int32(figures.columns.count)).map { try row.string($0) } }
        let marks = "(" + Array(repeating: "?", count: figures.columns.count).joined(separator: ", ") + ", 0)"
        for start in stride(from: 0, to: rows.count, by: 500) {
            let page = rows[start..<min(start + 500, rows.count)]
            try to.run(
                "INSERT INTO \(figures.table) (\(figures.columns.joined(separator: ", ")), shard) VALUES "
                    + Array(repeating: marks, count: page.count).joined(separator: ", "),
                page.flatMap { $0.map { $0 as any SQLBindable } })
        }
        return rows.count
    }

    /// Copies `table` a thousand rows at a time, in rowid order; answers how many.
    private func copy(_ table: String, from: SQLitePortableSQL, to: PostgresPortableSQL) throws -> Int {
        let columns = try from.query("SELECT name FROM pragma_table_info(?)", [table]) { try $0.string(0) }
        let there = Set(try to.query("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]) { try $0.string(0) })
        if let missing = columns.first(where: { !there.contains($0) }) {
            throw SyncError(.failed, "\(table).\(missing) has no column in \(destination) to go to; nothing was migrated")
        }
        let list = columns.joined(separator: ", ")
        let marks = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var last: Int64 = -1
        var count = 0
        while true {
            let page = try from.query("SELECT rowid, \(list) FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT 1000", [last]) { row in
                (rowid: try row.int64(0), values: try (1...Int32(columns.count)).map { try row.optionalString($0) })
            }
            guard let end = page.last?.rowid else { return count }
            // Values go as text, which the server reads as each column's type.
            let values: [any SQLBindable] = page.flatMap { $0.values.map { $0 as any SQLBindable } }
            try to.run("INSERT INTO \(table) (\(list)) VALUES " + Array(repeating: marks, count: page.count).joined(separator: ", "), values)
            count += page.count
            last = end
        }
    }
}
