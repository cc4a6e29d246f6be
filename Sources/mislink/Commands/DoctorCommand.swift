import Foundation
import MISLinkRunner
import MISLinkSync

/// `mislink doctor`: checks the queue's file and what runs on it, each with a verdict.
enum DoctorCommand {
    static let command = Command(
        "doctor", summary: "check the queue's file, workers, integrations and file permissions",
        details: """
            Checks: integrity_check and the schema versions; the write-ahead log's size; free disk space;
            running jobs without a registered worker; workers without a recent heartbeat; integrations in
            Error; that the database, its -wal/-shm and the console's token file are the owner's alone;
            that the per-state job counts agree with the jobs table (--repair-counts rebuilds them first).
            Exit 0 when every check is ok or only warns, 1 when one fails.
            """,
        specs: [.flag("repair-counts", "rebuild the per-state job counts from the jobs before checking")],
        run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let maintenance = QueueMaintenance(environment: try context.syncEnvironment(policies: PolicySet()))
        if arguments.flag("repair-counts") {  // SQLite's state counters: refused by name on PostgreSQL
            let repaired = try maintenance.repairJobCounts()
            // On stderr: the checks that follow stay the only output, JSON or table.
            Output.note("repaired \(repaired) job count(s) that disagreed with the jobs table")
        }
        let checks = try maintenance.doctor()
        let worst = checks.map { $0.verdict }.max() ?? .ok
        if context.json {
            context.printJSON([
                "verdict": worst.rawValue,
                "checks": checks.map { ["name": $0.name, "verdict": $0.verdict.rawValue, "detail": $0.detail] },
            ])
        } else {
            print(Output.table(["CHECK", "VERDICT", "DETAIL"], checks.map { [$0.name, $0.verdict.rawValue.uppercased(), $0.detail] }))
        }
        return worst == .failed ? ExitCode.failure : ExitCode.success
    }
}
