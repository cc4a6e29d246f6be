import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync

/// `mislink plan undo PLAN [--mis-id X] [--wait]`: enqueues a `plan-undo` job for the plan's integration.
enum PlanUndoCommand {
    static let command = Command(
        "plan undo", arguments: "PLAN", summary: "reverse a past import plan's changes (or one person's)",
        details: """
            Enqueues a plan-undo job that reverses the plan's changes to target records, wherever the record
            has not changed since (by a later MISLink change or in the target): updated fields go back,
            created records go to the recycle bin, contacts go back, leavers' moves are restored. Prints the
            job id; with --wait, waits and prints what was undone and what was not, with why. A value the MIS
            still holds comes back with the next import: fix it in the MIS.
            """,
        specs: [
            .option("mis-id", "X", "only this person's changes"),
            .flag("wait", "wait until the job ends and print what was undone; exit 0 if it succeeded, 1 if not"),
        ],
        run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 1)
        let text = try arguments.positional(0, "plan id (the import job's id; see 'mislink imports list')")
        guard let plan = Int64(text), plan > 0 else { throw CLIError.usage("a plan id is a job id such as 42, not '\(text)'") }
        let request = try context.integrationService(withPolicies: false).undoRequest(plan: plan, misID: arguments.value("mis-id"))
        let result = try context.queueAdmin().enqueue(request)
        guard arguments.flag("wait") else {
            if context.json { context.printJSON(JobJSON.enqueued(result)) } else { print(result.id) }
            return 0
        }
        if !context.json { print(result.id) }
        let (job, exitCode) = try JobWatcher(admin: try context.jobAdmin(withPolicies: false), id: result.id).watch()
        let report = job.result.flatMap { try? JSONDecoder().decode(UndoReport.self, from: Data($0.utf8)) }
        if context.json {
            var object: [String: Any] = ["id": job.id, "state": job.state.rawValue]
            object["report"] = report.map(HistoryJSON.object)
            object["error"] = job.lastError
            context.printJSON(object)
        } else if let report {
            print("undone: \(report.undone.count), not undone: \(report.notUndone.count)")
            for item in report.undone { print("  undone      \(describe(item))") }
            for item in report.notUndone { print("  not undone  \(describe(item)): \(item.reason ?? "")") }
        }
        return exitCode
    }

    static func describe(_ item: UndoReport.Item) -> String {
        var text = "\(item.kind) \(item.role.rawValue) \(item.misID)"
        if let targetID = item.targetID { text += " (target \(targetID))" }
        if let fields = item.fields, !fields.isEmpty { text += " [\(fields.joined(separator: ", "))]" }
        return text
    }
}
