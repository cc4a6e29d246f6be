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
        let workers = try context.jobAdmin(withPolicies: false).workers()
        let now = JobStore.now()
        func status(_ worker: WorkerRecord) -> String { now - worker.heartbeatAt > worker.leaseMilliseconds ? "silent" : "alive" }
        if context.json {
            context.printJSON(workers.map { worker in
                [
                    "id": worker.id, "host": worker.host, "pid": Int(worker.pid),
                    "queues": worker.queues.map { $0 as Any } ?? NSNull(), "concurrency": worker.concurrency,
                    "startedAt": DurationText.isoString(milliseconds: worker.startedAt),
                    "heartbeatAt": DurationText.isoString(milliseconds: worker.heartbeatAt),
                    "leaseMs": worker.leaseMilliseconds, "runningJobs": worker.runningJobs, "status": status(worker),
                ] as [String: Any]
            })
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
