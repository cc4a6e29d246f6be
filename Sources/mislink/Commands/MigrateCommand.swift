import Foundation
import MISLinkSync
import PostgresDB

/// `mislink migrate --from FILE.sqlite --to postgresql://…`.
enum MigrateCommand {
    static let command = Command(
        "migrate", summary: "copy a SQLite queue (jobs and integrations) into a PostgreSQL database",
        details: """
            Copies every job (with its errors), queue pause and integration (with its links, intake, exclusions,
            import history, plans and write-backs) and the queue's lasting counters and hourly activity (what
            /metrics and the console's chart show) in one transaction on PostgreSQL, and checks each table's
            count on both sides before it commits: a failure leaves the destination as it was. The destination
            must hold no jobs and no integrations; --replace empties MISLink's tables there first. Stop the
            workers on the file first: jobs copied while running are rescued on PostgreSQL when their leases
            expire. Not copied: the worker registry (workers register again). The password in the URL is never
            printed.
            """,
        specs: [
            .option("from", "FILE", "the SQLite queue file to copy from"),
            .option("to", "URL", "the PostgreSQL database to copy into (postgresql://USER@HOST:PORT/DB)"),
            .flag("replace", "empty MISLink's tables in the destination first"),
        ],
        run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        guard let from = arguments.value("from"), !from.isEmpty else { throw CLIError.usage("migrate needs --from FILE.sqlite") }
        guard let to = arguments.value("to"), PostgresURL.isPostgresURL(to) else {
            throw CLIError.usage("migrate needs --to postgresql://USER@HOST:PORT/DB")
        }
        let destination: PostgresURL
        do { destination = try PostgresURL(to) } catch { throw CLIError.usage("--to: \(error)") }
        var migration = QueueMigration(source: from, destination: destination)
        migration.replace = arguments.flag("replace")
        let copied: [(table: String, rows: Int)]
        do {
            copied = try migration.run { line in if !context.json { FileHandle.standardError.write(Data("  \(line)\n".utf8)) } }
        } catch let error as SyncError {
            throw error
        } catch {
            throw CLIError.failure(destination.scrub("migrate: \(error)"))
        }
        if context.json {
            context.printJSON([
                "from": from, "to": destination.description,
                "tables": Dictionary(uniqueKeysWithValues: copied.map { ($0.table, $0.rows) }),
                "skipped": QueueMigration.skipped,
            ])
        } else {
            let jobs = copied.first { $0.table == "jobs" }?.rows ?? 0
            let integrations = copied.first { $0.table == "integrations" }?.rows ?? 0
            print("migrated \(jobs) job(s) and \(integrations) integration(s) from \(from) to \(destination); every table's count checked")
            print("not copied: " + QueueMigration.skipped.joined(separator: "; "))
        }
        return 0
    }
}
