import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `mislink stats`.
enum StatsCommand {
    static let command = Command(
        "stats", summary: "job counts by kind and state, and how long the oldest available job has waited", run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let stats = try context.jobAdmin(withPolicies: false).stats()
        let now = JobStore.now()
        let waitedMs = stats.oldestAvailableRunAt.map { max(0, now - $0) }
        var byKind: [String: [String: Int]] = [:]
        for row in stats.rows { byKind[row.kind, default: [:]][row.state.rawValue] = row.count }
        if context.json {
            var totals: [String: Int] = [:]
            for state in JobState.allCases { totals[state.rawValue] = stats.count(state: state) }
            context.printJSON([
                "byKind": byKind, "totals": totals,
                "oldestAvailableAgeMs": waitedMs.map { $0 as Any } ?? NSNull(),
            ])
            return 0
        }
        let states = JobState.allCases
        let rows = byKind.keys.sorted().map { kind in [kind] + states.map { String(byKind[kind]?[$0.rawValue] ?? 0) } }
        let total = ["total"] + states.map { String(stats.count(state: $0)) }
        print(Output.table(["KIND"] + states.map { $0.rawValue.uppercased() }, rows + [total]))
        print("oldest available job waiting: " + (waitedMs.map { DurationText.format(milliseconds: $0) } ?? "none"))
        return 0
    }
}
