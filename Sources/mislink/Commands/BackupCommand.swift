import Foundation
import MISLinkQueuePostgres
import MISLinkRunner
import MISLinkSync

/// `mislink backup --to FILE`.
enum BackupCommand {
    static let command = Command(
        "backup", summary: "copy the queue (jobs and sync tables) to a new file, safely while workers run",
        details: """
            Uses SQLite's online backup: a consistent copy, taken while workers and scripts go on writing.
            The copy is owner-only (0600), and an existing file is never overwritten. To restore, stop
            the workers and point --db at the copy (or move it into place).
            """,
        specs: [.option("to", "FILE", "the new file to write (must not exist)")],
        run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        guard let path = arguments.value("to"), !path.isEmpty else { throw CLIError.usage("backup needs --to FILE") }
        if FileManager.default.fileExists(atPath: path) {
            throw CLIError.usage("\(path) already exists; a backup never overwrites a file")
        }
        let bytes = try QueueMaintenance(environment: try context.syncEnvironment(policies: PolicySet())).backup(to: path)
        if context.json {
            context.printJSON(["to": path, "bytes": bytes])
        } else {
            print("backed up \(context.database.description) to \(path) (\(bytes) bytes)")
        }
        return 0
    }
}
