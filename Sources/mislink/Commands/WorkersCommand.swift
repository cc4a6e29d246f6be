import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `mislink workers`.
enum WorkersCommand {
    static let command = Command(
        "workers", summary: "registered worker processes",
        details: """
            Worker processes that registered with this database, with their last heartbeat and how many
            jobs each holds. A worker whose heartbeat is older than its lease is marked 'silent'.
            """, run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let workers = try context.queueAdmin(withPolicies: false).workers()
        let now = JobStore.now()
        func status(_ worker: WorkerRecord) -> String { QueueJSON.status(worker, now: now) }
        if context.json {
            context.printJSON(workers.map { QueueJSON.object($0, now: now) })
        } else if workers.isEmpty {
            print("no workers registered")
        } else {
            print(Output.table(
                ["ID", "PID", "QUEUES", "CONCURRENCY", "RUNNING", "LAST HEARTBEAT", "STATUS"],
                workers.map {
                    [$0.id, String($0.pid), $0.queues?.joined(separator: ",") ?? "all", String($0.concurrency),
                     String($0.runningJobs), DurationText.format(milliseconds: max(0, now - $0.heartbeatAt)) + " ago", status($0)]
                }))
        }
        return 0
    }
}
