import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `mislink queue list|pause|resume`.
enum QueueCommand {
    static let depthStates = QueueJSON.depthStates

    static let group = CommandGroup(
        name: "queue", summary: "list queues; pause and resume one",
        details: """
            A paused queue's jobs stay available, but no worker claims them until the queue is resumed;
            a job already running finishes. A draining worker (--drain) does not wait for them.
            """,
        actions: [
            Command(
                "queue list", summary: "queues with pending or failed jobs, or paused: depth by state, oldest waiting job",
                run: list),
            Command(
                "queue pause", arguments: "QUEUE", summary: "stop workers claiming from a queue (it need not have jobs yet)",
                run: { arguments, context in try change(arguments, context, pause: true) }),
            Command(
                "queue resume", arguments: "QUEUE", summary: "let workers claim from a paused queue again",
                run: { arguments, context in try change(arguments, context, pause: false) }),
        ])

    private static func list(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let queues = try context.jobAdmin(withPolicies: false).queues()
        let now = JobStore.now()
        func age(_ queue: QueueSummary) -> Int64? { queue.oldestAvailableRunAt.map { max(0, now - $0) } }
        if context.json {
            context.printJSON(queues.map { QueueJSON.object($0, now: now) })
        } else if queues.isEmpty {
            print("no queues with pending jobs")
        } else {
            print(Output.table(
                ["QUEUE", "STATUS"] + depthStates.map { $0.rawValue.uppercased() } + ["OLDEST AVAILABLE"],
                queues.map { queue in
                    [queue.name, queue.isPaused ? "paused" : "active"] + depthStates.map { String(queue.count($0)) }
                        + [age(queue).map { DurationText.format(milliseconds: $0) } ?? "-"]
                }))
        }
        return 0
    }

    private static func change(_ arguments: Arguments, _ context: CLIContext, pause: Bool) throws -> Int32 {
        try arguments.expectPositionals(atMost: 1)
        let queue = try arguments.positional(0, "queue name")
        let admin = try context.queueAdmin(withPolicies: false)
        let changed = pause ? try admin.pauseQueue(queue) : try admin.resumeQueue(queue)
        if context.json {
            context.printJSON(["queue": queue, "paused": pause, "changed": changed])
        } else if pause {
            print(changed ? "queue \(queue) paused: workers claim nothing from it until it is resumed" : "queue \(queue) was already paused")
        } else {
            print(changed ? "queue \(queue) resumed" : "queue \(queue) was not paused")
        }
        return 0
    }
}
